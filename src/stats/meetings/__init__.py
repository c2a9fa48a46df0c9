"""Meetings: the model, the file format and the files on disk."""
