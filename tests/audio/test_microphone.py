"""MicrophoneSource and device listing on a real PortAudio capture device.

CI has no sound card, so a PulseAudio null sink stands in for one (recipe:
/work/shared/recipes/virtual-microphone.md): speech played into the sink with
paplay arrives, paced in real time, at the default input through the real
sounddevice/PortAudio path. PulseAudio is required, not optional: CI installs it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import wave
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from speech import render_speech

from p2p_assist.audio.base import CHUNK_BYTES
from p2p_assist.audio.devices import find_input_device, list_input_devices
from p2p_assist.audio.level import level_dbfs
from p2p_assist.audio.microphone import MicrophoneSource
from p2p_assist.basics.errors import UserError
from p2p_assist.cli.main import main

SENTENCE = "The patient completed eight weeks of physical therapy without relief."


@pytest.fixture(scope="module")
def spoken(tts: None, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, np.ndarray]:
    path = render_speech(SENTENCE, tmp_path_factory.mktemp("speech") / "sentence.wav")
    with wave.open(str(path)) as reader:
        samples = np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2")
    return path, samples.astype(np.float64) / 32768


def capture_while_playing(mic: MicrophoneSource, wav: Path) -> list[bytes]:
    """Everything the microphone hears while `wav` plays into the virtual sink."""
    chunks: list[bytes] = []
    capturing = threading.Event()

    def consume() -> None:
        for chunk in mic.chunks():
            chunks.append(chunk)
            capturing.set()

    consumer = threading.Thread(target=consume)
    consumer.start()
    # The PulseAudio ALSA plugin sometimes takes a second or two to deliver the first block.
    assert capturing.wait(timeout=10), "the microphone delivered nothing"
    subprocess.run(["paplay", "--device=callsink", str(wav)], check=True)
    time.sleep(0.5)  # the tail is still in PulseAudio's buffers
    mic.close()
    consumer.join(timeout=5)
    assert not consumer.is_alive()
    assert chunks, "no audio captured"
    assert all(len(chunk) == CHUNK_BYTES for chunk in chunks[:-1])
    return chunks


def as_float(chunks: list[bytes]) -> np.ndarray:
    return np.frombuffer(b"".join(chunks), dtype="<i2").astype(np.float64) / 32768


def similarity(captured: np.ndarray, original: np.ndarray) -> float:
    """Peak normalised cross-correlation: about 1 when the same speech is in both."""
    size = len(captured) + len(original)
    spectrum = np.fft.rfft(captured, size) * np.conj(np.fft.rfft(original, size))
    peak = np.max(np.abs(np.fft.irfft(spectrum, size)))
    return float(peak / np.sqrt(np.sum(captured**2) * np.sum(original**2)))


@pytest.mark.slow
def test_lists_the_virtual_inputs_with_the_default_marked(virtual_mic: None) -> None:
    devices = {device.name: device for device in list_input_devices()}

    assert {"pulse", "default"} <= devices.keys()
    assert devices["default"].is_default
    assert devices["pulse"].channels > 0
    assert devices["pulse"].default_rate > 0


@pytest.mark.slow
def test_devices_command_prints_one_line_per_input(
    virtual_mic: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["devices"]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("*") and "default" in line for line in lines)
    assert any("pulse" in line and "Hz" in line for line in lines)


@pytest.mark.slow
def test_captures_played_speech_at_its_energy(
    virtual_mic: None, spoken: tuple[Path, np.ndarray]
) -> None:
    wav, original = spoken
    mic = MicrophoneSource()

    chunks = capture_while_playing(mic, wav)
    captured = as_float(chunks)

    assert mic.capture_rate == 16_000
    assert 0.5 < np.sum(captured**2) / np.sum(original**2) < 2.0
    assert similarity(captured, original) > 0.8
    assert max(level_dbfs(chunk) for chunk in chunks) > -30


@pytest.mark.slow
def test_resamples_when_capturing_at_the_device_rate(
    virtual_mic: None, spoken: tuple[Path, np.ndarray]
) -> None:
    wav, original = spoken
    mic = MicrophoneSource("default", capture_rate=44_100)

    captured = as_float(capture_while_playing(mic, wav))

    assert mic.capture_rate == 44_100
    assert 0.5 < np.sum(captured**2) / np.sum(original**2) < 2.0
    assert similarity(captured, original) > 0.8


@pytest.mark.slow
def test_a_stalled_consumer_loses_the_oldest_audio_not_the_newest(virtual_mic: None) -> None:
    mic = MicrophoneSource(queue_seconds=0.3)
    chunks = mic.chunks()
    next(chunks)

    time.sleep(1.0)  # about 10 chunks arrive for a 3-chunk queue

    assert mic.dropped_chunks > 0
    next(chunks)
    mic.close()
    assert list(chunks) == []


@pytest.mark.slow
def test_close_from_another_thread_ends_a_waiting_iterator(virtual_mic: None) -> None:
    mic = MicrophoneSource()
    received: list[bytes] = []
    consumer = threading.Thread(target=lambda: received.extend(mic.chunks()))
    consumer.start()
    time.sleep(0.3)

    mic.close()
    consumer.join(timeout=5)

    assert not consumer.is_alive()
    assert mic.overflows == 0


@pytest.mark.slow
def test_devices_are_found_by_index_or_any_case_name_fragment(virtual_mic: None) -> None:
    pulse = find_input_device("PUL")

    assert pulse.name == "pulse"
    assert find_input_device(pulse.index) == pulse
    assert find_input_device(str(pulse.index)) == pulse
    assert MicrophoneSource("Pulse").label == "pulse"


@pytest.mark.slow
def test_unknown_device_error_names_it_and_lists_the_inputs(virtual_mic: None) -> None:
    with pytest.raises(UserError) as caught:
        MicrophoneSource("usb headset")

    message = str(caught.value)
    assert "\n" not in message
    assert "'usb headset' not found" in message
    assert "'pulse'" in message
    assert "p2p-assist devices" in message


@pytest.mark.slow
def test_ambiguous_name_asks_for_the_index(virtual_mic: None) -> None:
    with pytest.raises(UserError, match=r"ambiguous.*give the index"):
        find_input_device("u")  # "pulse" and "default"


class _NoPortAudio(MetaPathFinder):
    """Makes `import sounddevice` fail the way it does when libportaudio2 is missing."""

    def find_spec(
        self, name: str, path: Any, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return None


def test_missing_portaudio_is_one_line_naming_the_package(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_NoPortAudio(), *sys.meta_path])

    assert main(["devices"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "apt-get install libportaudio2" in error
    with pytest.raises(UserError, match="PortAudio"):
        MicrophoneSource()


def test_no_inputs_is_one_line_with_what_to_check(tmp_path: Path) -> None:
    cards = Path("/proc/asound/cards")
    if cards.exists() and "no soundcards" not in cards.read_text():
        pytest.skip("this machine has a sound card, so it has inputs without PulseAudio")
    # An empty runtime dir and home: no PulseAudio server, no ~/.asoundrc.
    env = {**os.environ, "XDG_RUNTIME_DIR": str(tmp_path), "HOME": str(tmp_path)}
    env.pop("PULSE_SERVER", None)

    result = subprocess.run(
        [sys.executable, "-m", "p2p_assist", "devices"], env=env, capture_output=True, text=True
    )

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "no audio input devices found" in result.stderr
