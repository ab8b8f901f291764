"""Who is speaking on one microphone: spectral cues per utterance, and a model of each voice."""
