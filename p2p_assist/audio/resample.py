"""Streaming sample-rate conversion by a rational factor (windowed-sinc polyphase FIR).

Audio arrives in blocks of any size (file reads, device callbacks) and must come out
as one continuous signal, so the filter keeps its tail of input between blocks and
memory stays constant however long the stream is. Dropping or repeating samples
would alias the 4-8 kHz band back into the speech band the recogniser listens to,
so the kernel is a low-pass below the lower of the two Nyquist frequencies.
"""

from __future__ import annotations

from math import ceil, gcd

import numpy as np
import numpy.typing as npt

Samples = npt.NDArray[np.float32]

# 0.45 of the lower rate puts the pass band edge at 7.2 kHz for 16 kHz output; with
# 24 zero crossings and a Kaiser beta of 8 the stop band (about -80 dB) starts just
# below the 8 kHz Nyquist frequency, so nothing audible folds back.
_CUTOFF = 0.45
_ZERO_CROSSINGS = 24
_KAISER_BETA = 8.0


def _filter_bank(up: int, in_rate: int, out_rate: int) -> tuple[Samples, int]:
    """One row of taps per output phase; returns the bank and the half-length in input samples."""
    cutoff = _CUTOFF * min(in_rate, out_rate) / in_rate  # cycles per input sample
    half_width = _ZERO_CROSSINGS / (2 * cutoff)  # kernel half-length in input samples
    half_taps = ceil(half_width)
    phases = np.arange(up, dtype=np.float64)[:, None] / up
    offsets = np.arange(-half_taps + 1, half_taps + 1, dtype=np.float64)[None, :]
    t = phases - offsets  # distance from each output instant to each input sample
    inside = np.clip(1.0 - (t / half_width) ** 2, 0.0, None)
    window = np.i0(_KAISER_BETA * np.sqrt(inside)) / np.i0(_KAISER_BETA)
    window[np.abs(t) > half_width] = 0.0
    taps = 2 * cutoff * np.sinc(2 * cutoff * t) * window
    # Normalising each phase to unit gain keeps DC (and the hum below speech) from
    # rippling with the phase pattern.
    taps /= taps.sum(axis=1, keepdims=True)
    return taps.astype(np.float32), half_taps


class Resampler:
    """Converts a mono float stream from `in_rate` to `out_rate`, block by block.

    The output has ceil(n_in * out_rate / in_rate) samples once `flush()` is called,
    so durations are preserved to within one output sample.
    """

    def __init__(self, in_rate: int, out_rate: int) -> None:
        common = gcd(in_rate, out_rate)
        self._up = out_rate // common
        self._down = in_rate // common
        self._bank, self._half = _filter_bank(self._up, in_rate, out_rate)
        # Zeros stand in for the samples before the stream began.
        self._buffer: Samples = np.zeros(self._half - 1, dtype=np.float32)
        self._buffer_start = -(self._half - 1)  # absolute input index of buffer[0]
        self._outputs = 0

    def process(self, samples: Samples) -> Samples:
        """Feed input samples; return every output sample they complete."""
        self._buffer = np.concatenate((self._buffer, samples.astype(np.float32, copy=False)))
        return self._drain()

    def flush(self) -> Samples:
        """End of stream: return the outputs still waiting for future input."""
        # Zeros after the end complete the windows of the last outputs, exactly those
        # before the end of the input, so the call stays as long as it was.
        self._buffer = np.concatenate((self._buffer, np.zeros(self._half, dtype=np.float32)))
        return self._drain()

    def _drain(self) -> Samples:
        up, down, half = self._up, self._down, self._half
        # Output n is centred on input n * down / up and needs `half` inputs beyond it.
        last_base = self._buffer_start + len(self._buffer) - 1 - half
        end = ((last_base + 1) * up - 1) // down + 1  # first output that cannot be computed yet
        if end <= self._outputs:
            return np.zeros(0, dtype=np.float32)
        count = end - self._outputs
        out = np.empty(count, dtype=np.float32)
        windows = np.lib.stride_tricks.sliding_window_view(self._buffer, 2 * half)
        # Outputs `up` apart share a phase and sit `down` inputs apart, so each phase is
        # one matrix-vector product over a strided view: no gathered copies of the input.
        for first in range(min(up, count)):
            base, phase = divmod((self._outputs + first) * down, up)
            start = base - half + 1 - self._buffer_start
            rows = windows[start : start + (len(range(first, count, up)) - 1) * down + 1 : down]
            out[first::up] = rows @ self._bank[phase]
        self._outputs = end
        keep_from = (end * down) // up - half + 1  # first input the next output needs
        self._buffer = self._buffer[keep_from - self._buffer_start :]
        self._buffer_start = keep_from
        return out
