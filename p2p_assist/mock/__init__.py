"""Mock calls: a TOML script of turns rendered to speech, with a timeline as answer key."""
