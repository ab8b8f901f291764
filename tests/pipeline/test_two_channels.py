"""A second input carries the reviewer: labels are exact and the clinician raises no card."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from speech import render_speech

pytestmark = pytest.mark.slow  # a subprocess that loads pocketsphinx for two channels


def test_reviewer_channel_raises_cards_and_clinician_channel_does_not(
    tmp_path: Path, tts: None
) -> None:
    clinician = render_speech(
        "Honestly, the biosimilar is not an option for her, and she tried methotrexate first.",
        tmp_path / "clinician.wav",
        voice="slt",
    )
    reviewer = render_speech(
        "This medication is considered investigational for her diagnosis.",
        tmp_path / "reviewer.wav",
        voice="rms",
    )
    done = subprocess.run(
        [sys.executable, "-m", "p2p_assist", "--cases", str(tmp_path / "cases"), "transcribe",
         str(clinician), "--reviewer-audio", str(reviewer), "--engine", "pocketsphinx", "--json"],
        capture_output=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    rows = [json.loads(line) for line in done.stdout.decode().splitlines()]
    by_speaker = {row["speaker"]: row for row in rows}
    assert set(by_speaker) == {"clinician", "reviewer"}
    assert by_speaker["clinician"]["objections"] == []
    assert "experimental" in {o["id"] for o in by_speaker["reviewer"]["objections"]}
