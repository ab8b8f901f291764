"""Patient cases: the TOML file, its validation, the store and the gap check."""
