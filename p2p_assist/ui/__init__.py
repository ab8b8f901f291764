"""The live call screen (Textual): a thin view over CallSession events."""
