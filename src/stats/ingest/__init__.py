"""Ingest: decode and normalise responses, archive them, refresh and snapshot."""
