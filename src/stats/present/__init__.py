"""Presentation as data: chart specs, figures, tables, alt text and source lines."""
