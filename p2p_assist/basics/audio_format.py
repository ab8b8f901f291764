"""The one audio format inside the pipeline: 16 kHz mono signed 16-bit little-endian PCM.

Sources convert to it, recognisers take it, mock calls are rendered in it.
"""

from __future__ import annotations

SAMPLE_RATE = 16_000
SAMPLE_WIDTH = 2  # bytes, signed 16-bit
BYTES_PER_SECOND = SAMPLE_RATE * SAMPLE_WIDTH


def seconds_of(pcm: bytes | int) -> float:
    """How long a stretch of PCM (its bytes, or a byte count) plays."""
    size = pcm if isinstance(pcm, int) else len(pcm)
    return size / BYTES_PER_SECOND
