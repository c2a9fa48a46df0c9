"""The versioned DuckDB store: write.py owns every write, read.py every read."""
