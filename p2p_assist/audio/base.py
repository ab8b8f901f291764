"""The audio source interface shared by WAV files, the microphone and tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from p2p_assist.basics.audio_format import SAMPLE_RATE, SAMPLE_WIDTH
from p2p_assist.basics.errors import UserError

CHUNK_SECONDS = 0.1
CHUNK_BYTES = int(SAMPLE_RATE * CHUNK_SECONDS) * SAMPLE_WIDTH
TURN_END = b""
"""A source may yield this between chunks to say a speaker's turn has ended (a rehearsal
knows it): the recogniser closes the line at once instead of waiting out its silence rule."""


class AudioSource(Protocol):
    """Yields 16 kHz mono s16le chunks until the source ends or is closed."""

    @property
    def label(self) -> str:
        """Human-readable name for status lines, e.g. the file name or device."""
        ...

    def chunks(self) -> Iterator[bytes]: ...

    def close(self) -> None:
        """Stop early; a blocked `chunks()` iterator must end promptly."""
        ...


class InputLost(UserError):
    """A live input stopped delivering audio (unplugged, or the sound server went away).
    Unlike other errors it may pass: the same input can be opened again later."""
