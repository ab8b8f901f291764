"""The phone channel model: what a speakerphone does to a voice, measured on real flite speech."""

from __future__ import annotations

import wave

import numpy as np
import pytest
from speech import render_speech

from p2p_assist.mock.channel import REVERB_TAIL_SECONDS, apply_channel

RATE = 16_000


@pytest.fixture(scope="module")
def speech(tts: None, tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    """A reviewer's sentence in a male flite voice, followed by a ring-out pad of silence."""
    path = tmp_path_factory.mktemp("speech") / "line.wav"
    render_speech("Has she tried the preferred biosimilar for twelve weeks first?", path, "rms")
    with wave.open(str(path)) as reader:
        pcm = np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2")
    pad = np.zeros(int(REVERB_TAIL_SECONDS * RATE), dtype=np.int16)
    return np.concatenate([pcm.astype(np.int16), pad])


def band_energy(pcm: np.ndarray, low: float, high: float) -> float:
    spectrum = np.abs(np.fft.rfft(pcm.astype(np.float64))) ** 2
    freqs = np.fft.rfftfreq(len(pcm), 1 / RATE)
    return float(spectrum[(freqs >= low) & (freqs < high)].sum())


def above_4k_per_voice_band(pcm: np.ndarray) -> float:
    return band_energy(pcm, 4_000, 8_000) / band_energy(pcm, 300, 3_400)


def lag(original: np.ndarray, heard: np.ndarray) -> int:
    """Samples by which `heard` trails `original`, from their cross-correlation peak."""
    product = np.fft.rfft(heard.astype(np.float64)) * np.conj(np.fft.rfft(original.astype(float)))
    peak = int(np.argmax(np.fft.irfft(product, len(original))))
    return peak if peak < len(original) // 2 else peak - len(original)


def last_loud(pcm: np.ndarray) -> int:
    return int(np.flatnonzero(np.abs(pcm.astype(np.int32)) > 64)[-1])


@pytest.mark.parametrize("channel", ["phone", "speakerphone"])
def test_the_far_side_keeps_nothing_above_the_telephone_band(
    speech: np.ndarray, channel: str
) -> None:
    heard = apply_channel(speech, channel)  # type: ignore[arg-type]

    assert above_4k_per_voice_band(speech) > 1e-3  # flite's voice does reach above 4 kHz
    assert above_4k_per_voice_band(heard) < 1e-5


def test_the_near_side_stays_full_band_and_untouched(speech: np.ndarray) -> None:
    heard = apply_channel(speech, "clean")

    assert np.array_equal(heard, speech)
    assert above_4k_per_voice_band(heard) > 1e-3


def test_the_phone_line_cuts_the_rumble_below_the_voice_band(speech: np.ndarray) -> None:
    below = band_energy(speech, 0, 200) / band_energy(speech, 300, 3_400)
    heard = apply_channel(speech, "phone")

    assert band_energy(heard, 0, 200) / band_energy(heard, 300, 3_400) < below / 20


@pytest.mark.parametrize("channel", ["phone", "speakerphone"])
def test_timing_length_and_peak_level_are_kept(speech: np.ndarray, channel: str) -> None:
    heard = apply_channel(speech, channel)  # type: ignore[arg-type]

    assert len(heard) == len(speech)
    assert abs(lag(speech, heard)) < 0.002 * RATE
    assert np.abs(heard).max() == pytest.approx(np.abs(speech).max(), rel=0.06)


def test_only_the_speakerphone_room_rings_on_after_the_voice(speech: np.ndarray) -> None:
    stop = last_loud(speech)
    just_after = slice(stop + int(0.05 * RATE), stop + int(0.25 * RATE))

    def ring(channel: str) -> float:
        heard = apply_channel(speech, channel).astype(np.float64)  # type: ignore[arg-type]
        return float(np.sqrt(np.mean(heard[just_after] ** 2)))

    assert ring("speakerphone") > 10 * max(ring("phone"), 1.0)


def test_the_same_voice_gives_the_same_samples_every_time(speech: np.ndarray) -> None:
    first, second = apply_channel(speech, "speakerphone"), apply_channel(speech, "speakerphone")

    assert np.array_equal(first, second)


def test_silence_stays_silent() -> None:
    silence = np.zeros(RATE // 2, dtype=np.int16)

    assert not apply_channel(silence, "speakerphone").any()
    assert apply_channel(silence[:0], "phone").size == 0
