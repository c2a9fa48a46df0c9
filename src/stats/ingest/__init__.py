"""Ingest: decode and normalize responses, archive them, refresh and snapshot."""
