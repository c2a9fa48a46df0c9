"""The series catalog: declared as data in catalog.d/, loaded and validated here."""
