"""näringslivsstatistik: regional statistics for the regional näringslivsdialog."""
