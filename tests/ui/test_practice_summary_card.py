"""A practice run ends on its summary with the score card of the clinician's answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CASE

from p2p_assist.audio.wav import WavFileSource
from p2p_assist.cases.store import load_case
from p2p_assist.matching.matcher import Matcher
from p2p_assist.session.build import SessionPlan, build_session
from p2p_assist.ui.app import LiveCall, make_app
from p2p_assist.ui.call_screen import CallContext


@pytest.mark.slow
async def test_the_summary_of_a_practice_run_shows_the_answer_score_card(
    cases: Path, short_call: Path, matcher: Matcher, tts: None
) -> None:
    plan = SessionPlan(cases, CASE, None, "pocketsphinx", None, "practice", save=True)
    session = build_session(plan, WavFileSource(short_call), matcher)
    context = CallContext(CASE, load_case(cases, CASE), "P2P window open", matcher.library)
    app = make_app(LiveCall(session, context))
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(600):
            if app.call_screen is not None and app.call_screen.audio_ended:
                break
            await pilot.pause(0.2)
        await pilot.press("e")
        await pilot.pause()
        await pilot.click("#outcome-denied")
        await pilot.click("#save")
        for _ in range(100):
            if app.screen.__class__.__name__ == "CallSummary":
                break
            await pilot.pause(0.1)
        summary = str(app.screen.query_one("#summary").render())
    assert "This practice run — your answers scored" in summary
    assert "Experimental / investigational" in summary  # the short call's objection
    assert "Conduct" in summary and "The call" in summary
