"""Clients for the statistics APIs the catalog draws on."""
