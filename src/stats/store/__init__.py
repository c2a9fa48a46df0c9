"""The versioned DuckDB store: schema.py holds the schema, write.py every write, read*.py every
read."""
