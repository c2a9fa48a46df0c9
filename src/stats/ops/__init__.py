"""Running the service: backups of the database, meetings and raw archive, and restores."""
