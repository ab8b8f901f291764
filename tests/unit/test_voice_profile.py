"""The clinician's voice profile: made from real speech, kept owner-only, and every bad
recording or damaged file refused with one line naming it."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest
from speech import render_speech

from p2p_assist.basics.errors import UserError
from p2p_assist.cli.voice_cmd import PASSAGE
from p2p_assist.voice.profile import (
    clinician_voice,
    default_profile_path,
    load_profile,
    profile_from_wav,
    save_profile,
)


def write_wav(path: Path, samples: np.ndarray, rate: int = 16_000) -> Path:
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(samples.astype("<i2").tobytes())
    return path


@pytest.fixture(scope="module")
def sample(tts: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The enrolment passage read by a flite voice: a real 20-odd second sample."""
    return render_speech(PASSAGE, tmp_path_factory.mktemp("sample") / "me.wav", "slt")


def test_a_read_passage_makes_a_profile_that_is_saved_owner_only_and_read_back(
    sample: Path, tmp_path: Path
) -> None:
    profile = profile_from_wav(sample)
    path = save_profile(profile, tmp_path / "voice" / "profile.json")

    assert profile.speech_seconds > 10
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert load_profile(path) == profile
    assert "audio" not in json.loads(path.read_text())  # features only


def test_the_profile_is_the_clinicians_model_from_the_first_line(sample: Path) -> None:
    model, problem = clinician_voice(sample)

    assert problem is None
    assert model is not None and model.ready


def test_no_stored_profile_is_no_model_and_no_complaint() -> None:
    assert not default_profile_path().exists()
    assert clinician_voice(None) == (None, None)


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("silent", "no speech"),
        ("short", "too short"),
        ("clipped", "clipped"),
        ("text", "WAV"),
        ("missing", "no such file"),
    ],
)
def test_a_bad_voice_sample_is_one_line_and_the_call_goes_on_by_sound_alone(
    sample: Path, tmp_path: Path, name: str, problem: str
) -> None:
    speech = np.frombuffer(sample.read_bytes()[44:], dtype="<i2")
    bad = tmp_path / f"{name}.wav"
    if name == "silent":
        write_wav(bad, np.zeros(16_000 * 20, dtype=np.int16))
    elif name == "short":
        write_wav(bad, speech[: 16_000 * 3])
    elif name == "clipped":
        write_wav(bad, np.clip(speech.astype(np.int32) * 40, -32768, 32767))
    elif name == "text":
        bad.write_text("not audio at all\n")

    model, line = clinician_voice(bad)

    assert model is None
    assert line is not None and "\n" not in line
    assert str(bad) in line and problem.lower() in line.lower()
    assert "sound of the line alone" in line


@pytest.mark.parametrize(
    "content",
    ["{not json", '{"version": 1}', '{"version": 1, "mean": [1], "spread": [1], '
     '"speech_seconds": 3}', '{"version": 99, "mean": [], "spread": [], "speech_seconds": 1}'],
)  # fmt: skip
def test_a_damaged_profile_is_reported_and_ignored(tmp_path: Path, content: str) -> None:
    path = tmp_path / "profile.json"
    path.write_text(content)

    with pytest.raises(UserError, match="voice enroll") as raised:
        load_profile(path)
    assert str(path) in str(raised.value)


def test_enroll_from_a_recording_stores_the_profile_and_forget_deletes_it(sample: Path) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "p2p_assist", "voice", *args]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    enrolled = cli("enroll", "--wav", str(sample))
    assert enrolled.returncode == 0, enrolled.stderr
    assert load_profile() is not None

    forgot = cli("forget")
    assert forgot.returncode == 0
    assert not default_profile_path().exists()


def test_enroll_from_a_silent_recording_is_one_line_and_stores_nothing(tmp_path: Path) -> None:
    silent = write_wav(tmp_path / "silent.wav", np.zeros(16_000 * 20, dtype=np.int16))
    done = subprocess.run(
        [sys.executable, "-m", "p2p_assist", "voice", "enroll", "--wav", str(silent)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "no speech" in done.stderr
    assert not default_profile_path().exists()
