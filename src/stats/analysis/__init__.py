"""Analysis over the store: indicators, circular share, SNI, highlight checks."""
