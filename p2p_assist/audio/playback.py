"""Playing 16 kHz mono PCM on an output device through PortAudio (sounddevice), for review.

PortAudio calls back on a real-time thread that must never wait, so the callback only copies
frames already converted for the device from the clip's queue of blocks (a deque: appending
on one thread and popping on another takes no lock) and writes silence when it runs dry.
Everything that costs time — resampling, mixing, reading the file — happens before a block is
queued, on the caller's thread.

The stream runs while a clip plays and is aborted on stop (abort, not stop: stopping waits for
PortAudio's buffers to drain, and a clinician pressing stop wants silence now). A clip that
comes to its end keeps the stream running on silence for the device's latency, so its last
samples are heard, then reports itself done; whoever plays it stops the stream then.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Any

import numpy as np
import numpy.typing as npt

from p2p_assist.audio.alsa_messages import quiet_alsa
from p2p_assist.audio.devices import import_sounddevice
from p2p_assist.audio.resample import Resampler
from p2p_assist.basics.audio_format import SAMPLE_RATE
from p2p_assist.basics.errors import UserError

NO_OUTPUT_FIX = (
    "connect speakers or headphones, or check that PulseAudio/PipeWire is running (`pactl info`)"
)

Frames = npt.NDArray[np.int16]  # (frames, channels), as the device takes them
PRIME_SECONDS = 0.1
# Seconds of audio the device holds. PortAudio's "low" (8 ms here) underran again and again
# on two cores shared with the recogniser's tests, each a gap in the sound; 0.1 s did not. It
# does not delay the first sample (a starting stream's buffer is filled from the clip), only a
# skip while playing, by at most this much.
LATENCY = 0.1


class NoOutputDevice(UserError):
    """There is nothing to play on: review goes on without sound."""


class Playing:
    """One clip handed to the player: PCM from a moment of the call, more of which may still
    be added. The callback thread advances it; any thread may read where it is."""

    def __init__(self, at: float, rate: int, channels: int, tail_frames: int) -> None:
        self.at = at  # seconds on the call's clock of the clip's first sample
        self._rate, self._channels, self._tail = rate, channels, tail_frames
        self._resampler = Resampler(SAMPLE_RATE, rate) if rate != SAMPLE_RATE else None
        self._blocks: deque[Frames] = deque()
        self._offset = 0  # frames of the first block already played
        self._fed = 0  # 16 kHz samples given to `extend`, before any conversion
        self._queued = 0  # device frames queued in all
        self._played = 0  # frames handed to the device
        self._final = False

    @property
    def queued_until(self) -> float:
        """The call time the audio given so far reaches (where to read on from)."""
        return self.at + self._fed / SAMPLE_RATE

    @property
    def complete(self) -> bool:
        """No more is coming."""
        return self._final

    @property
    def position(self) -> float:
        """The call time being heard: what was handed to the device, less its latency."""
        heard = min(self._queued, max(0, self._played - self._tail))
        return self.at + heard / self._rate

    @property
    def done(self) -> bool:
        """All of the clip was heard and no more is coming."""
        return self._final and self._played >= self._queued + self._tail

    def extend(self, pcm: bytes, *, final: bool = False) -> None:
        """Queue more of the clip (16 kHz mono s16le); `final`: nothing follows it."""
        if self._final:
            return
        samples = np.frombuffer(pcm, "<i2", len(pcm) // 2)
        self._fed += len(samples)
        if self._resampler is not None:
            floats = self._resampler.process(samples.astype(np.float32))
            if final:
                floats = np.concatenate((floats, self._resampler.flush()))
            samples = np.clip(np.rint(floats), -32768, 32767).astype(np.int16)
        if len(samples):
            frames = np.repeat(samples.astype(np.int16)[:, None], self._channels, axis=1)
            self._queued += len(frames)
            self._blocks.append(frames)
        self._final = final

    def fill(self, out: Frames) -> None:
        """The callback's work: copy what is queued into `out`, silence after it."""
        filled = 0
        wanted = len(out)
        while filled < wanted and self._blocks:
            block = self._blocks[0]
            count = min(wanted - filled, len(block) - self._offset)
            out[filled : filled + count] = block[self._offset : self._offset + count]
            filled += count
            self._offset += count
            if self._offset == len(block):
                self._blocks.popleft()
                self._offset = 0
        out[filled:] = 0
        # Silence counts as played once the clip is complete: it carries the last samples
        # through the device's latency. Before that, a dry queue is a gap, not progress.
        self._played += wanted if self._final and not self._blocks else filled


class Player:
    """Plays clips on one output device (the default, or one by index or name). Raises
    NoOutputDevice when there is none and UserError when it cannot be opened."""

    def __init__(self, device: int | str | None = None) -> None:
        self._sd = import_sounddevice()
        quiet_alsa()  # the screen is on stderr too
        index, self.device_name = self._find(device)
        self._rate, channels = self._choose_settings(index)
        self._lock = threading.Lock()  # play, stop and close from any thread, one at a time
        self._playing: Playing | None = None
        try:
            self._stream = self._sd.OutputStream(
                samplerate=self._rate,
                device=index,
                channels=channels,
                dtype="int16",
                latency=LATENCY,
                callback=self._callback,
                # The buffer a stream starts with is filled from the clip, not with silence:
                # the first sample goes out at once rather than after LATENCY of nothing.
                prime_output_buffers_using_stream_callback=True,
            )
        except self._sd.PortAudioError as error:
            raise self._error(f"cannot be opened ({error})") from None
        self._channels = channels
        self._tail = round(float(self._stream.latency) * self._rate)

    @property
    def latency(self) -> float:
        """Seconds from a frame handed to the device to it being heard, as PortAudio says."""
        return float(self._stream.latency)

    def play(self, pcm: bytes, at: float = 0.0, *, final: bool = True) -> Playing:
        """Play 16 kHz mono s16le PCM at once, in place of anything playing; `at` is its
        first sample's time on the call's clock. With `final=False` more may be added to the
        returned clip with `extend`."""
        playing = Playing(at, self._rate, self._channels, self._tail)
        playing.extend(pcm, final=final)
        with self._lock:
            if self._stream.closed:
                raise self._error("was closed")
            self._playing = playing  # the callback picks it up on its next call
            if not self._stream.active:
                try:
                    self._stream.start()
                except self._sd.PortAudioError as error:
                    self._playing = None
                    raise self._error(f"cannot start playing ({error})") from None
        return playing

    def prime(self, timeout: float = 3.0) -> None:
        """Play a moment of silence and wait until it was heard (at most `timeout`), so the
        sound server has set up the stream before anyone listens. Measured through PulseAudio
        (bench/playback_latency.py --no-prime): unprimed, the first play's first sample came
        0.19-0.58 s after the key, then stalled; primed, 10-17 ms, as every later play."""
        self.play(bytes(round(PRIME_SECONDS * SAMPLE_RATE) * 2))
        deadline = time.monotonic() + timeout
        while self.playing is not None and time.monotonic() < deadline:
            time.sleep(0.01)
        self.stop()

    @property
    def playing(self) -> Playing | None:
        """The clip being heard; None when stopped or once it was heard to its end."""
        playing = self._playing
        return None if playing is None or playing.done else playing

    def stop(self) -> None:
        with self._lock:
            self._playing = None
            if not self._stream.closed and self._stream.active:
                self._stream.abort(ignore_errors=True)

    def close(self) -> None:
        """Let go of the device; closing again does nothing."""
        with self._lock:
            self._playing = None
            self._stream.close(ignore_errors=True)

    def _callback(self, outdata: Frames, frames: int, time: Any, status: Any) -> None:
        playing = self._playing  # one read: play() may swap it meanwhile
        if playing is None:
            outdata.fill(0)
        else:
            playing.fill(outdata)

    def _find(self, wanted: int | str | None) -> tuple[int, str]:
        sd = self._sd
        try:
            if wanted is None:
                info = sd.query_devices(kind="output")
                return int(info["index"]), str(info["name"])
            outputs = [d for d in sd.query_devices() if d["max_output_channels"] > 0]
        except sd.PortAudioError:  # PortAudio's way of saying there is no default output
            raise NoOutputDevice(f"no audio output device found — {NO_OUTPUT_FIX}") from None
        text = str(wanted).strip().lower()
        found = [d for d in outputs if str(d["index"]) == text or text in str(d["name"]).lower()]
        if len(found) != 1:
            names = ", ".join(f"{d['index']} '{d['name']}'" for d in (found or outputs))
            problem = "is ambiguous" if found else "not found"
            raise NoOutputDevice(f"output '{wanted}' {problem} — choose one of: {names or 'none'}")
        return int(found[0]["index"]), str(found[0]["name"])

    def _choose_settings(self, index: int) -> tuple[int, int]:
        """16 kHz mono when the device takes it (no conversion); else its own rate, in mono
        or, for a device that refuses mono, the same samples on both channels."""
        sd = self._sd
        info = sd.query_devices(index)
        rates = [SAMPLE_RATE, round(info["default_samplerate"])]
        layouts = [1, 2] if info["max_output_channels"] >= 2 else [1]
        last_error = "no settings tried"
        for channels in layouts:
            for rate in rates:
                try:
                    sd.check_output_settings(
                        device=index, channels=channels, dtype="int16", samplerate=rate
                    )
                except sd.PortAudioError as error:
                    last_error = str(error)
                    continue
                return rate, channels
        raise self._error(f"plays none of {rates} Hz in mono or stereo ({last_error})")

    def _error(self, problem: str) -> UserError:
        return UserError(f"audio output '{self.device_name}' {problem} — {NO_OUTPUT_FIX}")
