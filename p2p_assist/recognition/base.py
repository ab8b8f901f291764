"""The recogniser interface every engine implements.

Audio goes in as 16 kHz mono signed 16-bit little-endian PCM; events come out.
Times are seconds of stream audio since the recogniser was created, so a word's
end time can be compared with the wall clock when audio is paced in real time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    start: float
    end: float
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class PartialResult:
    """What the engine believes is being said right now; replaced by the next one."""

    text: str
    stream_time: float


@dataclass(frozen=True, slots=True)
class FinalResult:
    """One utterance, closed at an endpoint (silence) or by the end of the stream."""

    text: str
    words: tuple[Word, ...] = field(default_factory=tuple)
    start: float = 0.0
    end: float = 0.0
    confidence: float = 1.0


RecognitionEvent = PartialResult | FinalResult


class Recognizer(Protocol):
    """A streaming recogniser. Not thread-safe: one thread feeds it."""

    @property
    def name(self) -> str: ...

    def accept(self, pcm: bytes) -> list[RecognitionEvent]:
        """Feed audio; return the partials and finals it produced (often empty)."""
        ...

    def flush(self) -> list[RecognitionEvent]:
        """End of stream: return the last final for audio still buffered."""
        ...
