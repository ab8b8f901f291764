"""Hearing what review played: a call whose every second has a tone of its own, and the
PulseAudio null sink's monitor recorded while it plays.

PulseAudio resamples on the way (16 kHz in, the sink's 44.1 or 48 kHz, 16 kHz out of the
monitor), so sample-exact comparison is out; a tone's pitch survives resampling, so the
pitch of what arrives says which second of the call was played, in what order.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from virtual_mic import refresh_portaudio

from p2p_assist.basics.audio_format import SAMPLE_RATE
from p2p_assist.transcript.audio_file import create

FIRST_HZ = 300
STEP_HZ = 40  # the pitch rises by this much each second of the call
WINDOW = SAMPLE_RATE // 4  # pitch read every 0.25 s: 4 Hz apart, well inside STEP_HZ
LOUD = 1000.0  # RMS a tone at AMPLITUDE keeps through the sink; silence is near 0
AMPLITUDE = 8000


def stepped_tones(seconds: int, start: int = 0) -> np.ndarray:
    """int16 samples of seconds [start, start + seconds) of the call: second k is a tone of
    FIRST_HZ + STEP_HZ * k, phase-continuous so no click marks the steps."""
    index = np.arange(start * SAMPLE_RATE, (start + seconds) * SAMPLE_RATE)
    pitch = FIRST_HZ + STEP_HZ * (index // SAMPLE_RATE)
    phase = 2 * np.pi * np.cumsum(pitch) / SAMPLE_RATE
    return (np.sin(phase) * AMPLITUDE).astype(np.int16)


def keep_audio(call_dir: Path, samples: np.ndarray, channel: int = 0) -> Path:
    """Write a call's kept audio file the way the call writer creates it."""
    path = call_dir / f"audio-{channel}.flac"
    fd, audio = create(path)
    try:
        with audio:
            audio.write(samples)
    finally:
        os.close(fd)
    return path


def seconds_heard(samples: np.ndarray) -> list[int]:
    """Which second of the call each loud stretch of `samples` is, in order, each once."""
    heard: list[int] = []
    for start in range(0, len(samples) - WINDOW + 1, WINDOW):
        window = samples[start : start + WINDOW].astype(np.float64)
        if np.sqrt(np.mean(window**2)) < LOUD:
            continue
        spectrum = np.abs(np.fft.rfft(window * np.hanning(WINDOW)))
        pitch = np.argmax(spectrum) * SAMPLE_RATE / WINDOW
        second = round((pitch - FIRST_HZ) / STEP_HZ)
        if not heard or heard[-1] != second:
            heard.append(second)
    return heard


def landed_after(heard: list[int], jump: int) -> int:
    """The second heard right after the first jump of about `jump` seconds: a skip of 5 s
    lands 4 to 6 seconds on (or back), as playback moves on meanwhile."""
    for before, after in itertools.pairwise(heard):
        if (after - before) * jump > 0 and abs(after - before) in (4, 5, 6):
            return after
    raise AssertionError(f"no jump of {jump:+d} s in {heard}")


def near(second: int, seconds: float) -> bool:
    """A skip to `seconds` is heard as that second, or the next one as it begins."""
    return int(seconds) <= second <= int(seconds) + 1


def loudest(samples: np.ndarray) -> float:
    return float(np.abs(samples.astype(np.int32)).max()) if len(samples) else 0.0


class MonitorRecording:
    """The null sink's monitor, recorded at 16 kHz mono by parec while the test runs.

    parec asks for a short latency: the null sink then renders in small steps, as a real
    device does, instead of in the two-second steps it takes when nothing listens."""

    def __init__(self, source: str = "callsink.monitor") -> None:
        self._process = subprocess.Popen(
            ["parec", "-d", source, "--format=s16le", f"--rate={SAMPLE_RATE}",
             "--channels=1", "--latency-msec=20"],
            stdout=subprocess.PIPE,
        )  # fmt: skip
        self._data = bytearray()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        while chunk := os.read(self._process.stdout.fileno(), 4096):
            with self._lock:
                self._data += chunk

    @property
    def length(self) -> int:
        """Samples recorded so far: a mark to look at what came after it."""
        with self._lock:
            return len(self._data) // 2

    def since(self, mark: int) -> np.ndarray:
        with self._lock:
            return np.frombuffer(bytes(self._data[mark * 2 :]), "<i2").copy()

    def wait_for(self, mark: int, seconds: float, timeout: float = 20.0) -> np.ndarray:
        """Block until `seconds` of audio were recorded after `mark` (a thread's wait)."""
        deadline = time.monotonic() + timeout
        while self.length - mark < seconds * SAMPLE_RATE and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.since(mark)

    def close(self) -> None:
        self._process.terminate()
        self._process.wait(timeout=5)
        self._reader.join(timeout=5)


@contextlib.contextmanager
def no_sound_server(folder: Path) -> Iterator[None]:
    """PortAudio as on a machine with no sound card and no sound server running: an empty
    runtime folder and home (no PulseAudio to find, no ~/.asoundrc). A machine with a sound
    card has outputs whatever the server does: the test is skipped there."""
    cards = Path("/proc/asound/cards")
    if cards.exists() and "no soundcards" not in cards.read_text():
        pytest.skip("this machine has a sound card, so it has an output without PulseAudio")
    folder.mkdir(mode=0o700, exist_ok=True)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("XDG_RUNTIME_DIR", str(folder))
        env.setenv("HOME", str(folder))
        env.delenv("PULSE_SERVER", raising=False)
        refresh_portaudio()
        try:
            yield
        finally:
            env.undo()
            refresh_portaudio()
