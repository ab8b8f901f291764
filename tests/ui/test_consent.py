"""Transcribing is recording: a live call asks first. The answer is kept in call.json and the
note; a "no" keeps the microphone off and the call to notes typed by hand."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import CASE
from test_call_screen import call_screen, end_call, run_until_ended

from p2p_assist.audio.wav import WavFileSource
from p2p_assist.cases.store import load_case
from p2p_assist.matching.matcher import Matcher
from p2p_assist.session.build import SessionPlan, build_session
from p2p_assist.transcript.reader import read_call
from p2p_assist.ui.app import LiveCall, P2PApp, make_app
from p2p_assist.ui.call_screen import CallContext
from p2p_assist.ui.transcript import TranscriptPane


def live_app(cases: Path, audio: Path, matcher: Matcher) -> P2PApp:
    """A live call (consent is asked) fed from a recording in place of the microphone."""
    plan = SessionPlan(cases, CASE, None, "pocketsphinx", None, "live", save=True)
    session = build_session(plan, WavFileSource(audio), matcher)
    context = CallContext(CASE, load_case(cases, CASE), "P2P window open", matcher.library)
    return make_app(LiveCall(session, context))


async def test_a_yes_is_recorded_and_the_call_is_transcribed(
    cases: Path, short_call: Path, matcher: Matcher, tts: None
) -> None:
    app = live_app(cases, short_call, matcher)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ConsentDialog"
        assert matcher.library.consent.ask in str(app.screen.query_one("#consent-ask").render())
        await pilot.press("y")
        await run_until_ended(app, pilot)
        assert len(app.query_one(TranscriptPane).lines) >= 3
        call_dir = call_screen(app).session.call_dir
        assert call_dir is not None
        assert json.loads((call_dir / "call.json").read_text())["consent"] == "yes"
        await end_call(app, pilot)
    assert "Consent to transcribe" in (call_dir / "note.md").read_text()


async def test_a_no_keeps_transcription_off_and_notes_by_hand_on(
    cases: Path, short_call: Path, matcher: Matcher, tts: None
) -> None:
    app = live_app(cases, short_call, matcher)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause(3.0)  # long enough for the recording's first lines, were it heard
        screen = call_screen(app)
        assert app.query_one(TranscriptPane).lines == []
        assert "Transcription is off" in str(screen.query_one("#banner").render())
        await pilot.press("n")
        await pilot.press(*"reviewer will call back at 3", "enter")
        await end_call(app, pilot)
        finished = screen.finished
    assert finished is not None and finished.call_dir is not None
    call = read_call(finished.call_dir)
    assert call.meta is not None and call.meta.consent == "no"
    assert [r.kind for r in call.records] == ["note"]
    note = (finished.call_dir / "note.md").read_text()
    assert "Consent to transcribe" in note and "reviewer will call back at 3" in note
