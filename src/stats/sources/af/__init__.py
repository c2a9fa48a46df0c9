"""Arbetsförmedlingen's Excel files: varsel and monthly registered unemployed."""
