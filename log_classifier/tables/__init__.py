"""CSV files: strict reading in chunks (reader) and the classified output (writer)."""
