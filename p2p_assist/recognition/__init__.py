"""Speech recognisers behind one small interface (Vosk, pocketsphinx)."""
