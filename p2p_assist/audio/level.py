"""Input level of a chunk for a meter: RMS in dBFS, cheap enough to run on every chunk."""

from __future__ import annotations

import math

import numpy as np

from p2p_assist.basics.audio_format import BYTES_PER_SECOND

# Digital silence has no level in dB; the 16-bit noise floor is a finite stand-in
# a meter can draw and compare.
SILENCE_DBFS = -96.0


def level_dbfs(chunk: bytes) -> float:
    """RMS level of s16le audio relative to full scale (a full-scale square wave is 0 dBFS)."""
    samples = np.frombuffer(chunk, dtype="<i2", count=len(chunk) // 2).astype(np.float32)
    if samples.size == 0:
        return SILENCE_DBFS
    mean_square = float(np.dot(samples, samples)) / samples.size
    if mean_square <= 0.0:
        return SILENCE_DBFS
    return max(SILENCE_DBFS, 10.0 * math.log10(mean_square / 32768.0**2))


class LevelMeter:
    """Keeps the stream clock of the audio fed to it and, a few times a second, reads its
    level: a meter needs no more, and the recogniser thread should not do more."""

    def __init__(self, every_seconds: float = 0.2) -> None:
        self.every_seconds = every_seconds
        self.stream_time = 0.0  # seconds of audio fed so far
        self._next = 0.0

    def feed(self, chunk: bytes) -> float | None:
        """Count the chunk; its level in dBFS when a reading is due, else None."""
        self.stream_time += len(chunk) / BYTES_PER_SECOND
        if self.stream_time < self._next:
            return None
        self._next = self.stream_time + self.every_seconds
        return level_dbfs(chunk)
