"""The parts of the "Förbered möte" page: sign-in, meeting form, gallery, charts, highlights."""
