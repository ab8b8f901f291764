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
WINDOW_BYTES = 800
"""Speech is judged every 25 ms (a microphone chunk holds four), so a pause is timed from
the end of the last word, not from the end of the chunk that held it."""
ROOM_WINDOWS = 120
"""The room's level is the quietest of the last 3 s of windows."""


class AnswerEnd:
    """Fed the microphone's chunks; says when an answer's speech began and when it ended.
    It hears the room all along (`listen`), so the first word of an answer is judged
    against the room, not against itself."""

    def __init__(self, pause: float) -> None:
        self.pause = pause
        self.heard_speech = False
        self.silent_for = 0.0  # seconds since the last speech (or since the answer began)
        self._recent: deque[float] = deque(maxlen=ROOM_WINDOWS)

    def start(self) -> None:
        """A new answer begins: nothing heard yet."""
        self.heard_speech = False
        self.silent_for = 0.0

    def listen(self, chunk: bytes) -> list[bool]:
        """Hear a chunk of the room: whether each of its windows is speech."""
        speech = []
        for start in range(0, len(chunk), WINDOW_BYTES):
            level = level_dbfs(chunk[start : start + WINDOW_BYTES])
            room = min(self._recent, default=level)
            self._recent.append(level)
            speech.append(level >= max(room + ABOVE_ROOM_DB, QUIETEST_SPEECH_DBFS))
        return speech

    def feed(self, chunk: bytes) -> bool:
        """Hear a chunk of the answer; True once the answer has ended."""
        window_seconds = WINDOW_BYTES / BYTES_PER_SECOND
        for speech in self.listen(chunk):
            if speech:
                self.heard_speech = True
                self.silent_for = 0.0
            else:
                self.silent_for += window_seconds
        return self.heard_speech and self.silent_for >= self.pause
