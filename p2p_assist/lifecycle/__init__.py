"""A call's life around the session: what start-up does first (finish the calls a crash left
open) and what happens once a call ends (the transcript closed, then the note, the score and
the next steps written up).

It sits above both the session and the after-call reports, so neither imports the other.
"""
