"""Who is speaking on one microphone, for real: a speakerphone call rendered with flite,
transcribed by pocketsphinx, each line labelled by how it sounds (and the clinician's voice
sample), and the clinician's own lines raising no reviewer card."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from demo_cases import copy_demo_cases
from speech import render_speech

from p2p_assist.audio.wav import WavFileSource
from p2p_assist.cli.voice_cmd import PASSAGE
from p2p_assist.library.load import load_library
from p2p_assist.matching.matcher import Matcher
from p2p_assist.mock.render import render_script
from p2p_assist.mock.script import load_script
from p2p_assist.mock.timeline import load_timeline, timeline_path
from p2p_assist.session.build import SessionPlan, build_session
from p2p_assist.session.events import UtteranceHeard
from p2p_assist.transcript.reader import list_calls, read_call

pytestmark = pytest.mark.slow

CASE = "demo-ra-biologic"
# The reviewer (rms) over a speakerphone, the clinician (slt) straight into the microphone, and
# no turn marks anywhere: the clinician lists what was tried, which alone reads as step therapy.
ONE_MIC_CALL = """
title = "One microphone, both sides"
case_id = "demo-ra-biologic"
[voices]
reviewer = "rms"
clinician = "slt"
[channel]
reviewer = "speakerphone"
clinician = "clean"
[[turns]]
speaker = "reviewer"
text = "Hello doctor, I am the reviewer for this request, thank you for calling."
pause_after = 1.2
[[turns]]
speaker = "reviewer"
text = "Our policy asks for a trial of methotrexate and a preferred biologic first."
pause_after = 1.2
[[turns]]
speaker = "clinician"
text = "She already had methotrexate for six months, and then the preferred biologic failed."
pause_after = 1.2
[[turns]]
speaker = "reviewer"
text = "I see the notes now. What was her disease activity score at the last visit?"
pause_after = 1.2
[[turns]]
speaker = "clinician"
text = "Her score was high at the last visit, after step therapy with two drugs had failed."
pause_after = 1.2
[[turns]]
speaker = "reviewer"
text = "Thank you. I will send the determination to your office today."
"""


@pytest.fixture(scope="module")
def one_mic_call(tts: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("one-mic")
    (folder / "call.toml").write_text(ONE_MIC_CALL)
    render_script(load_script(folder / "call.toml"), folder / "call.wav")
    return folder / "call.wav"


@pytest.fixture(scope="module")
def voice_sample(tts: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The clinician's voice reading the enrolment passage, as `voice enroll` would hear it."""
    return render_speech(PASSAGE, tmp_path_factory.mktemp("sample") / "me.wav", "slt")


def transcribe(audio: Path, cases: Path, *extra: str) -> tuple[list[dict[str, Any]], str]:
    done = subprocess.run(
        [sys.executable, "-m", "p2p_assist", "--cases", str(cases), "transcribe", str(audio),
         "--case", CASE, "--engine", "pocketsphinx", "--json", "--save", *extra],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()], done.stderr


def said_by(audio: Path, start: float, end: float) -> str:
    """The speaker of the rendered turn the line overlaps most."""
    turns = load_timeline(timeline_path(audio)).turns
    return max(turns, key=lambda turn: min(turn.end, end) - max(turn.start, start)).speaker


def test_each_line_is_labelled_by_its_sound_and_the_clinicians_raise_no_card(
    one_mic_call: Path, voice_sample: Path, tmp_path: Path
) -> None:
    cases = copy_demo_cases(tmp_path, CASE)
    printed, stderr = transcribe(one_mic_call, cases, "--voice-sample", str(voice_sample))

    assert "told apart by the sound" not in stderr  # the sample made a profile
    truth = [said_by(one_mic_call, row["start"], row["end"]) for row in printed]
    assert [row["speaker"] for row in printed] == truth
    clinician = [row for row, who in zip(printed, truth, strict=True) if who == "clinician"]
    assert clinician and all(row["objections"] == [] for row in clinician)
    # Those lines would have raised a card had nobody known they were the clinician's.
    unlabelled = Matcher(load_library())
    assert any(unlabelled.match(str(row["text"])).objections for row in clinician)

    (call_dir,) = list_calls(cases, CASE)
    saved = [r for r in read_call(call_dir).records if r.kind == "utterance"]
    assert [u.speaker for u in saved] == truth


def test_a_bad_voice_sample_is_one_line_and_the_sound_still_labels_the_call(
    one_mic_call: Path, tmp_path: Path
) -> None:
    cases = copy_demo_cases(tmp_path, CASE)
    bad = tmp_path / "me.wav"
    bad.write_text("not a recording\n")

    printed, stderr = transcribe(one_mic_call, cases, "--voice-sample", str(bad))

    complaint = [line for line in stderr.splitlines() if str(bad) in line]
    assert len(complaint) == 1 and "not a WAV file" in complaint[0]
    truth = [said_by(one_mic_call, row["start"], row["end"]) for row in printed]
    labels = [row["speaker"] for row in printed]
    # No profile: the first lines are the reviewer's over the phone, so the sound labels all.
    assert labels == truth


def test_what_the_clinician_marks_with_space_overrides_the_sound(
    one_mic_call: Path, tmp_path: Path
) -> None:
    """`space` held on (the session's speaker set) for the whole call: every line is the
    clinician's, the reviewer's speakerphone lines too, and none raises a card."""
    cases = copy_demo_cases(tmp_path, CASE)
    plan = SessionPlan(cases, CASE, None, "pocketsphinx", None, "practice", save=False)
    session = build_session(plan, WavFileSource(one_mic_call), Matcher(load_library()))
    session.set_speaker("clinician")
    session.start()
    heard = [event for event in session.events(timeout=120) if isinstance(event, UtteranceHeard)]
    session.end()

    assert any(said_by(one_mic_call, event.start, event.end) == "reviewer" for event in heard)
    assert heard and all(event.speaker == "clinician" for event in heard)
    assert all(event.objections == [] for event in heard)
