"""Session events carried into the UI thread as Textual messages.

The recognition thread posts; it never touches widgets. A newer partial replaces
a queued one, so a slow paint never builds a backlog of stale partials.
"""

from __future__ import annotations

from textual.message import Message

from p2p_assist.session.events import AudioLevel, PartialText, SessionEvent


class SessionUpdate(Message):
    def __init__(self, event: SessionEvent) -> None:
        super().__init__()
        self.event = event

    def can_replace(self, message: Message) -> bool:
        if not isinstance(message, SessionUpdate):
            return False
        for kind in (PartialText, AudioLevel):
            if isinstance(self.event, kind) and isinstance(message.event, kind):
                return True
        return False
