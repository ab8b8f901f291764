"""When a spoken answer has ended: speech, then a pause long enough to be the end of a turn.

A rehearsal's reviewer waits for the clinician. Speech is a chunk well above the room's own
level (its quietest recent chunks); the answer has ended once speech was heard and then
`pause` seconds passed without it. A recogniser's endpointer is no help here: it closes
sentences, and an answer is several.
"""

from __future__ import annotations

from collections import deque

from p2p_assist.audio.level import level_dbfs
from p2p_assist.basics.audio_format import BYTES_PER_SECOND

ABOVE_ROOM_DB = 12.0
"""A chunk this far above the room's level is speech (the virtual and real rooms measured:
voiced chunks sit 20-40 dB above the pauses between words)."""
QUIETEST_SPEECH_DBFS = -50.0
"""Nothing quieter is speech, however silent the room (digital silence has no floor)."""
ROOM_CHUNKS = 30
"""The room's level is the quietest of the last 3 s of chunks."""


class AnswerEnd:
    """Fed the microphone's chunks; says when an answer's speech began and when it ended.
    It hears the room all along (`listen`), so the first word of an answer is judged
    against the room, not against itself."""

    def __init__(self, pause: float) -> None:
        self.pause = pause
        self.heard_speech = False
        self.silent_for = 0.0  # seconds since the last speech (or since the answer began)
        self._recent: deque[float] = deque(maxlen=ROOM_CHUNKS)

    def start(self) -> None:
        """A new answer begins: nothing heard yet."""
        self.heard_speech = False
        self.silent_for = 0.0

    def listen(self, chunk: bytes) -> bool:
        """Hear a chunk of the room; True when it is speech."""
        level = level_dbfs(chunk)
        room = min(self._recent, default=level)
        self._recent.append(level)
        return level >= max(room + ABOVE_ROOM_DB, QUIETEST_SPEECH_DBFS)

    def feed(self, chunk: bytes) -> bool:
        """Hear a chunk of the answer; True once the answer has ended."""
        if self.listen(chunk):
            self.heard_speech = True
            self.silent_for = 0.0
            return False
        self.silent_for += len(chunk) / BYTES_PER_SECOND
        return self.heard_speech and self.silent_for >= self.pause
