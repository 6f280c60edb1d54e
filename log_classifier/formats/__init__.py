"""What requests carry, in and out: CSV uploads read strictly in chunks (reader) and the classified CSV
(writer); JSON bodies (json_intake: arrays and NDJSON, with limits) and shippers' records (feed)."""
