"""Input level of a chunk for a meter: RMS in dBFS, cheap enough to run on every chunk."""

from __future__ import annotations

import math

import numpy as np

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
