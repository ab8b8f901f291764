"""`voice enroll` through the real PortAudio path: the passage, read by a flite voice, is
played into a virtual microphone (a PulseAudio null sink's monitor) while enrolment records."""

from __future__ import annotations

import stat
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from speech import render_speech

from p2p_assist.cli.voice_cmd import PASSAGE
from p2p_assist.voice.profile import default_profile_path, load_profile, profile_from_wav

pytestmark = pytest.mark.slow  # PulseAudio, and 20 s of speech played in real time


def test_enroll_on_the_microphone_keeps_a_profile_of_the_voice_owner_only(
    virtual_mic: None, tmp_path: Path, tts: None
) -> None:
    passage = render_speech(PASSAGE, tmp_path / "passage.wav", "slt")
    enrol = subprocess.Popen(
        [sys.executable, "-m", "p2p_assist", "voice", "enroll", "--seconds", "24"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(2)  # the input is open and recording before the reading starts
    subprocess.run(["paplay", str(passage)], check=True, timeout=60)
    stdout, stderr = enrol.communicate(timeout=60)

    assert enrol.returncode == 0, stderr
    assert "Read this aloud" in stdout and "voice profile saved" in stdout
    path = default_profile_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    heard = load_profile(path)
    assert heard is not None and heard.speech_seconds > 10
    # The microphone heard the voice the recording holds: the same cues, near enough.
    played = profile_from_wav(passage)
    assert abs(heard.mean[0] - played.mean[0]) < 6  # energy above the telephone band, dB
    assert (
        np.linalg.norm(np.subtract(heard.mean[2:], played.mean[2:]))
        < np.linalg.norm(played.spread[2:]) * 3
    )
