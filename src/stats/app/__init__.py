"""The Streamlit app: pages/ (one file per URL) and the widgets they share."""
