"""Recognising objections and documentation values in what is said (rapidfuzz)."""
