"""Streamlit pages: thin UI over stats.indicators, stats.charts and stats.fmt."""
