"""A rehearsal as `practice CASE --rehearse` opens it, for pilot tests: a short script (the
severity objection, a follow-up, a goodbye), the call it opens, and reading its results."""

from __future__ import annotations

import argparse
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from p2p_assist.cases.store import load_case
from p2p_assist.cli.live import CallInputs
from p2p_assist.cli.rehearsal_inputs import rehearsal_inputs
from p2p_assist.library.load import load_library
from p2p_assist.matching.matcher import Matcher
from p2p_assist.report.answer_card import saved_call_card
from p2p_assist.session.build import SessionPlan, build_session
from p2p_assist.session.rehearsal import Rehearsal
from p2p_assist.transcript.reader import read_call
from p2p_assist.transcript.records import Note, Utterance
from p2p_assist.ui.app import LiveCall, P2PApp
from p2p_assist.ui.call_screen import CallContext
from p2p_assist.ui.rehearsal_strip import RehearsalStrip

CASE = "demo-ra-biologic"
LIBRARY = load_library()
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


def write_script(cases: Path) -> Path:
    script = cases / CASE / "rehearsal.toml"
    script.write_text(SCRIPT)
    return script


def rehearsal_call(
    cases: Path, tell: bool = True, **options: object
) -> tuple[LiveCall, Rehearsal, CallInputs]:
    """The call `practice CASE --rehearse [options]` opens (a --script, --drill, --device …);
    `tell`: its notices go on the screen (a missing device's line lists this machine's)."""
    chosen: dict[str, object] = {
        "script": None, "drill": None, "type": False, "device": None, "playback": None,
        "pause": None,
    }  # fmt: skip
    chosen.update(options)
    args = argparse.Namespace(cases=str(cases), prompts=None, **chosen)
    inputs = rehearsal_inputs(args, CASE)
    assert inputs.rehearsal is not None
    case = load_case(cases, CASE)
    plan = SessionPlan(cases, CASE, None, "pocketsphinx", None, "practice", save=True)
    session = build_session(plan, inputs.source, Matcher(LIBRARY), turns=inputs.turns, case=case)
    for notice in inputs.notices if tell else []:
        session.notice(notice)
    inputs.rehearsal.connect(session)
    context = CallContext(CASE, case, "", LIBRARY, inputs.rehearsal)
    return LiveCall(session, context), inputs.rehearsal, inputs


def score_card(call_dir: Path) -> str:
    return saved_call_card(call_dir, load_case(call_dir.parents[2], CASE), LIBRARY)[1]


def saved_lines(call_dir: Path) -> list[Utterance]:
    return [r for r in read_call(call_dir).records if isinstance(r, Utterance)]


def saved_notes(call_dir: Path) -> list[str]:
    return [r.text for r in read_call(call_dir).records if isinstance(r, Note)]


Answer = Callable[[Pilot[None], int], Awaitable[None]]
"""What the test clinician does at their n-th turn (from 0)."""


async def take_turns(pilot: Pilot[None], answer: Answer, timeout: float = 150) -> list[str]:
    """Run the rehearsal to its end, answering each of the clinician's turns with `answer`;
    the turn strip's text at each turn, in order."""
    assert isinstance(pilot.app, P2PApp)
    screen = pilot.app.call_screen
    assert screen is not None
    strip = screen.query_one(RehearsalStrip)
    seen: list[str] = []
    answered = 0
    deadline = time.monotonic() + timeout
    while not screen.audio_ended:
        assert time.monotonic() < deadline, f"the rehearsal did not end: {seen}"
        text = str(strip.render())
        taking = strip.has_class("clinician") or strip.has_class("reviewer")
        if taking and (not seen or text != seen[-1]):  # a new turn (a question asked again, too)
            seen.append(text)
            if strip.has_class("clinician"):
                await answer(pilot, answered)
                answered += 1
        await pilot.pause(0.1)
    return seen
