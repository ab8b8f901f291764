"""A test signal for the kept-audio tests: the same samples for any split into chunks, so a
process that wrote it and the test that reads it back agree on every sample."""

from __future__ import annotations

import numpy as np

from p2p_assist.basics.audio_format import SAMPLE_RATE

CHUNK = SAMPLE_RATE // 10  # samples: the 0.1 s chunks a WAV source gives


def signal(start: int, count: int) -> np.ndarray:
    """Samples [start, start + count): two tones and a deterministic hiss, as int16."""
    index = np.arange(start, start + count, dtype=np.int64)
    tones = np.sin(index * 0.031) * 6000 + np.sin(index * 0.0047) * 3000
    hiss = (index * 7919) % 601 - 300
    return (tones + hiss).astype(np.int16)


def signal_pcm(start: int, count: int) -> bytes:
    return signal(start, count).astype("<i2").tobytes()
