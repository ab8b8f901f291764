"""Audio sources: WAV files and the microphone, all as 16 kHz mono 16-bit PCM."""
