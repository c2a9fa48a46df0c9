"""One file per URL; each page only lays things out."""
