"""The headless call session: source -> recogniser -> matcher -> events, saved as it goes."""
