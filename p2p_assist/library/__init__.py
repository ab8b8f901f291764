"""The prompt library: objections with rebuttals, documentation reminders, agenda, next steps."""
