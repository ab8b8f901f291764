"""Turning any interleaved PCM into the pipeline's 16 kHz mono s16le, in fixed-size chunks.

Shared by the WAV reader and the microphone so both sources deliver exactly the
same format and chunk size whatever the file or device provides.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum

import numpy as np
import numpy.typing as npt

from p2p_assist.audio.base import CHUNK_BYTES
from p2p_assist.audio.resample import Resampler, Samples
from p2p_assist.basics.audio_format import SAMPLE_RATE


class Encoding(Enum):
    """Sample encodings found in WAV files: (kind, bytes per sample)."""

    U8 = ("unsigned", 1)
    S16 = ("signed", 2)
    S24 = ("signed", 3)
    S32 = ("signed", 4)
    F32 = ("float", 4)
    F64 = ("float", 8)

    @property
    def width(self) -> int:
        return self.value[1]


_DTYPES = {Encoding.S16: "<i2", Encoding.S32: "<i4", Encoding.F32: "<f4", Encoding.F64: "<f8"}


def decode(raw: bytes, encoding: Encoding, channels: int) -> npt.NDArray[np.float32]:
    """Interleaved little-endian samples to floats in [-1, 1), shaped (frames, channels)."""
    usable = len(raw) - len(raw) % (encoding.width * channels)
    data = np.frombuffer(raw, dtype=np.uint8, count=usable)
    if encoding is Encoding.U8:
        values = (data.astype(np.float32) - 128.0) / 128.0
    elif encoding is Encoding.S24:
        triplets = data.reshape(-1, 3).astype(np.int32)
        # The top byte carries the sign, so it is widened as a signed value before shifting.
        high = triplets[:, 2].astype(np.int8).astype(np.int32) << 16
        ints = triplets[:, 0] | (triplets[:, 1] << 8) | high
        values = ints.astype(np.float32) / float(1 << 23)
    elif encoding.value[0] == "float":
        # Broken float files can hold NaN or inf; they would wrap when cast to int16.
        values = np.nan_to_num(data.view(_DTYPES[encoding]).astype(np.float32))
    else:
        ints = data.view(_DTYPES[encoding])
        values = ints.astype(np.float32) / float(1 << (8 * encoding.width - 1))
    return values.reshape(-1, channels)


def to_s16le(samples: Samples) -> bytes:
    scaled: Samples = np.rint(samples * np.float32(32768.0))
    return np.clip(scaled, -32768, 32767).astype("<i2").tobytes()


class MonoConverter:
    """Downmixes and resamples (frames, channels) float blocks to 16 kHz mono s16le bytes."""

    def __init__(self, in_rate: int) -> None:
        self._resampler = Resampler(in_rate, SAMPLE_RATE) if in_rate != SAMPLE_RATE else None

    def convert(self, frames: npt.NDArray[np.float32]) -> bytes:
        channels = frames.shape[1]
        # Averaging (not summing) keeps a full-scale stereo file from clipping; a
        # matrix-vector product is several times faster than a strided mean.
        mono = (
            frames @ np.full(channels, 1 / channels, np.float32) if channels > 1 else frames[:, 0]
        )
        if self._resampler is not None:
            mono = self._resampler.process(mono)
        return to_s16le(mono)

    def flush(self) -> bytes:
        return to_s16le(self._resampler.flush()) if self._resampler is not None else b""


class Rechunker:
    """Regroups a byte stream into CHUNK_BYTES pieces; the tail comes out at the end."""

    def __init__(self) -> None:
        self._pending = bytearray()

    def push(self, data: bytes) -> Iterator[bytes]:
        self._pending += data
        while len(self._pending) >= CHUNK_BYTES:
            yield bytes(self._pending[:CHUNK_BYTES])
            del self._pending[:CHUNK_BYTES]

    def tail(self) -> Iterator[bytes]:
        if self._pending:
            yield bytes(self._pending)
            self._pending.clear()
