"""The cascade stages; each takes a batch of records and returns a prediction or None per record."""
