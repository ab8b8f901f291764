"""A spoken rehearsal end to end, under the pilot, through PortAudio on PulseAudio null sinks:
the reviewer's turns play on one sink (its monitor is recorded, so the test hears what the
clinician would), a flite "clinician" answers into the virtual microphone when the screen
says it is their turn, and the saved call and its score card reflect what that clinician
said. One clinician covers the severity card's facts, one does not: only the second is asked
the follow-up, and the score cards differ on exactly those facts."""

from __future__ import annotations

import argparse
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from conftest import CASE
from playback_support import MonitorRecording
from speech import render_speech
from textual.pilot import Pilot
from virtual_mic import PulseServer

from p2p_assist.basics.audio_format import SAMPLE_RATE
from p2p_assist.cases.store import load_case
from p2p_assist.cli.rehearsal_inputs import rehearsal_inputs
from p2p_assist.library.load import load_library
from p2p_assist.lifecycle.finish import finish_call
from p2p_assist.matching.matcher import Matcher
from p2p_assist.report.answer_card import saved_call_card
from p2p_assist.session.build import SessionPlan, build_session
from p2p_assist.session.rehearsal import Rehearsal
from p2p_assist.transcript.reader import read_call
from p2p_assist.transcript.records import Utterance
from p2p_assist.ui.app import LiveCall, make_app
from p2p_assist.ui.call_screen import CallContext
from p2p_assist.ui.rehearsal_strip import RehearsalStrip

pytestmark = pytest.mark.slow

SCRIPT = """
title = "Rehearsal: severity"
case_id = "demo-ra-biologic"
[voices]
reviewer = "rms"
[[turns]]
speaker = "reviewer"
text = "I'm not convinced her disease is severe enough for this. The activity looks moderate."
expect = ["severity"]
[[turns]]
speaker = "clinician"
text = "model answer, not spoken in a rehearsal"
[[turns]]
speaker = "reviewer"
text = "What were her latest scores, and when were they taken?"
follow_up = true
[[turns]]
speaker = "clinician"
text = "model answer"
[[turns]]
speaker = "reviewer"
text = "Thank you, doctor. That is all I need today."
"""
FOLLOW_UP = "latest scores"
COVERING = (
    "On November second her disease activity score was five point five, which is high, "
    "and her C reactive protein was thirty one."
)
VAGUE = "She is really struggling and her disease is very active. She needs this drug now."
LIBRARY = load_library()


@pytest.fixture(scope="module")
def reviewer_sink(pulse_server: PulseServer) -> Iterator[MonitorRecording]:
    recording = MonitorRecording("revsink.monitor")
    yield recording
    recording.close()


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory, tts: None) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("answers")
    return {
        name: render_speech(text, folder / f"{name}.wav", voice="kal16")
        for name, text in (("covering", COVERING), ("vague", VAGUE))
    }


def rehearsal_call(cases: Path, script: Path) -> tuple[LiveCall, Rehearsal]:
    """The call `practice CASE --rehearse --script S --playback reviewer_speaker` opens."""
    args = argparse.Namespace(
        cases=str(cases), prompts=None, script=script, drill=None, type=False,
        device=None, playback="reviewer_speaker", pause=None,
    )  # fmt: skip
    inputs = rehearsal_inputs(args, CASE)
    assert inputs.rehearsal is not None and inputs.rehearsal.speaks and not inputs.notices
    case = load_case(cases, CASE)
    plan = SessionPlan(cases, CASE, None, "pocketsphinx", None, "practice", save=True)
    session = build_session(
        plan, inputs.source, Matcher(LIBRARY), turns=inputs.turns, case=case
    )
    inputs.rehearsal.connect(session)
    context = CallContext(CASE, case, "", LIBRARY, inputs.rehearsal)
    return LiveCall(session, context), inputs.rehearsal


async def take_turns(pilot: Pilot[None], answer: Path, timeout: float = 150) -> list[str]:
    """Answer each of the clinician's turns with `answer`, played into the microphone's sink,
    until the rehearsal's audio ends; the strip's text at each turn."""
    screen = pilot.app.call_screen
    assert screen is not None
    strip = screen.query_one(RehearsalStrip)
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while not screen.audio_ended:
        assert time.monotonic() < deadline, f"the rehearsal did not end: {seen}"
        text = str(strip.render())
        if strip.has_class("clinician") and text not in seen:
            seen.append(text)
            threading.Thread(target=_speak_into_microphone, args=(answer,)).start()
        elif strip.has_class("reviewer") and text not in seen:
            seen.append(text)
        await pilot.pause(0.1)
    return seen


def _speak_into_microphone(answer: Path) -> None:
    time.sleep(0.3)  # a clinician draws breath before answering
    subprocess.run(["paplay", "--device=callsink", str(answer)], check=True, timeout=60)


async def rehearse(cases: Path, answer: Path, sink: MonitorRecording) -> tuple[list[str], Path]:
    script = cases / CASE / "rehearsal.toml"
    script.write_text(SCRIPT)
    call, rehearsal = rehearsal_call(cases, script)
    mark = sink.length
    app = make_app(call)
    async with app.run_test(size=(110, 34)) as pilot:
        turns = await take_turns(pilot, answer)
    finished = finish_call(call.session, call.context.case, LIBRARY)
    assert finished.call_dir is not None, finished.lines
    heard = sink.since(mark)
    assert _loud_seconds(heard) > 3.0, "the reviewer's turns never reached the speakers"
    assert rehearsal.turnarounds, "no reviewer turn followed an answer"
    return turns, finished.call_dir


def _loud_seconds(samples: np.ndarray) -> float:
    """Seconds of the recording with speech in them (tenths above a quiet floor)."""
    tenth = SAMPLE_RATE // 10
    rms = [
        float(np.sqrt(np.mean(samples[i : i + tenth].astype(np.float64) ** 2)))
        for i in range(0, len(samples) - tenth, tenth)
    ]
    return sum(level > 300 for level in rms) / 10


def _card(call_dir: Path) -> str:
    return saved_call_card(call_dir, load_case(call_dir.parents[2], CASE), LIBRARY)[1]


def _lines(call_dir: Path) -> list[Utterance]:
    return [r for r in read_call(call_dir).records if isinstance(r, Utterance)]


async def test_the_answer_decides_the_follow_up_and_the_score(
    reviewer_sink: MonitorRecording,
    answers: dict[str, Path],
    tmp_path: Path,
) -> None:
    from demo_cases import copy_demo_cases

    covering_cases = copy_demo_cases(tmp_path / "covering", CASE)
    vague_cases = copy_demo_cases(tmp_path / "vague", CASE)
    covered_turns, covered_call = await rehearse(covering_cases, answers["covering"], reviewer_sink)
    vague_turns, vague_call = await rehearse(vague_cases, answers["vague"], reviewer_sink)

    # Only the vague answer is pressed for the scores.
    assert not any(FOLLOW_UP in turn for turn in covered_turns), covered_turns
    assert any(FOLLOW_UP in turn for turn in vague_turns), vague_turns
    # Each side is labelled by the turn it spoke in.
    for call_dir, said in ((covered_call, "thirty one"), (vague_call, "struggling")):
        lines = _lines(call_dir)
        speakers = {line.speaker for line in lines}
        assert speakers == {"reviewer", "clinician"}, [(x.speaker, x.text) for x in lines]
        clinician = " ".join(line.text for line in lines if line.speaker == "clinician")
        assert said.split()[-1] in clinician or said in clinician, clinician
    # The score card credits the readings only to the clinician who said them.
    covered_card, vague_card = _card(covered_call), _card(vague_call)
    assert "✓ DAS28-CRP" in covered_card, covered_card
    assert "✗ DAS28-CRP" in vague_card, vague_card
