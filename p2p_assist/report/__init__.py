"""After the call: the claims-file note, practice scores and the one-page brief (no UI)."""
