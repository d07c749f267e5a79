"""newsdex indexing: reading, cleaning, extraction, schema and writing."""
