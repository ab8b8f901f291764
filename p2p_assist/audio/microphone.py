"""The microphone as an audio source, through PortAudio (sounddevice).

The PortAudio callback runs on a real-time thread that must never wait, so it only
copies the bytes into a bounded queue. When the consumer falls behind, the oldest
chunk is dropped: in a live call the newest audio matters, and a queue that only
grows would leave the transcript ever further behind the speaker.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Iterator
from typing import Any

from p2p_assist.audio.base import CHUNK_SECONDS, InputLost
from p2p_assist.audio.devices import InputDevice, find_input_device, import_sounddevice
from p2p_assist.audio.pcm import Encoding, MonoConverter, Rechunker, decode
from p2p_assist.basics.audio_format import SAMPLE_RATE
from p2p_assist.basics.errors import UserError

# A live stream calls back every CHUNK_SECONDS; this long with no call at all is a device gone.
SILENT_DEVICE_SECONDS = 3.0
_POLL_SECONDS = 0.5
_DEVICE_FIX = "pick another with --device (see `p2p-assist devices`) or close programs using it"


class MicrophoneSource:
    """Captures 16 kHz mono s16le from an input device until `close()`.

    Opens at 16 kHz mono when the device allows it; otherwise at the device's
    default rate (and stereo if it refuses mono), converting while reading.
    `capture_rate` forces the device rate, e.g. for a device that claims 16 kHz
    but resamples it badly.
    """

    def __init__(
        self,
        device: int | str | None = None,
        *,
        capture_rate: int | None = None,
        queue_seconds: float = 5.0,
    ) -> None:
        self._sd = import_sounddevice()
        self._device: InputDevice = find_input_device(device)
        self._rate, self._channels = self._choose_settings(capture_rate)
        self._queue: queue.Queue[bytes] = queue.Queue(max(1, round(queue_seconds / CHUNK_SECONDS)))
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._overflows = 0
        self._dropped = 0
        try:
            self._stream = self._sd.RawInputStream(
                samplerate=self._rate,
                blocksize=round(self._rate * CHUNK_SECONDS),
                device=self._device.index,
                channels=self._channels,
                dtype="int16",
                callback=self._on_audio,
            )
        except self._sd.PortAudioError as error:
            raise self._error(f"cannot open ({error})") from None

    @property
    def label(self) -> str:
        return self._device.name

    @property
    def device(self) -> InputDevice:
        return self._device

    @property
    def capture_rate(self) -> int:
        """The rate the device delivers; chunks are always 16 kHz."""
        return self._rate

    @property
    def overflows(self) -> int:
        """Times PortAudio reported lost input (the callback was not called in time)."""
        return self._overflows

    @property
    def dropped_chunks(self) -> int:
        """Chunks discarded because the consumer fell more than `queue_seconds` behind."""
        return self._dropped

    def chunks(self) -> Iterator[bytes]:
        if self._closed.is_set():
            return
        needs_conversion = (self._rate, self._channels) != (SAMPLE_RATE, 1)
        converter = MonoConverter(self._rate) if needs_conversion else None
        rechunker = Rechunker()
        try:
            self._stream.start()
        except self._sd.PortAudioError as error:
            raise self._error(f"cannot start capture ({error})") from None
        heard_at: float | None = None  # PulseAudio's first capture can take seconds to start
        try:
            while not self._closed.is_set():
                try:
                    data = self._queue.get(timeout=_POLL_SECONDS)
                except queue.Empty:
                    self._check_alive(heard_at)
                    continue
                heard_at = time.monotonic()
                if converter is not None:
                    data = converter.convert(decode(data, Encoding.S16, self._channels))
                yield from rechunker.push(data)
        finally:
            self.close()

    def close(self) -> None:
        with self._lock:
            if self._closed.is_set():
                return
            self._closed.set()
            # Closing an active stream discards pending buffers, like abort().
            self._stream.close(ignore_errors=True)
            # Wake a consumer blocked on the queue; if it is full, get() returns anyway.
            with contextlib.suppress(queue.Full):
                self._queue.put_nowait(b"")

    def _on_audio(self, indata: Any, frames: int, time: Any, status: Any) -> None:
        if status.input_overflow:
            self._overflows += 1
        data = bytes(indata)
        try:
            self._queue.put_nowait(data)
        except queue.Full:
            self._dropped += 1
            with contextlib.suppress(queue.Empty):
                self._queue.get_nowait()
            with contextlib.suppress(queue.Full):
                self._queue.put_nowait(data)

    def _check_alive(self, heard_at: float | None) -> None:
        """A device that goes away either stops the stream or leaves it running with no
        callbacks at all (a stream ended by the sound server, through ALSA's pulse plugin)."""
        silent = heard_at is not None and time.monotonic() - heard_at > SILENT_DEVICE_SECONDS
        with self._lock:  # so close() cannot free the stream between the two checks
            if self._closed.is_set():
                return
            if silent or not self._stream.active:
                raise InputLost(f"microphone '{self._device.name}' stopped delivering audio")

    def _choose_settings(self, forced_rate: int | None) -> tuple[int, int]:
        rates = [forced_rate] if forced_rate else [SAMPLE_RATE, self._device.default_rate]
        layouts = [1, 2] if self._device.channels >= 2 else [1]
        last_error = "no settings tried"
        for channels in layouts:
            for rate in rates:
                try:
                    self._sd.check_input_settings(
                        device=self._device.index, channels=channels, dtype="int16", samplerate=rate
                    )
                except self._sd.PortAudioError as error:
                    last_error = str(error)
                    continue
                return rate, channels
        raise self._error(f"supports none of {rates} Hz as 16-bit mono or stereo ({last_error})")

    def _error(self, problem: str) -> UserError:
        return UserError(f"microphone '{self._device.name}': {problem} — {_DEVICE_FIX}")
