"""The call screen under Textual's pilot, fed by real speech through the real pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CASE

from p2p_assist.audio.wav import WavFileSource
from p2p_assist.cases.store import load_case
from p2p_assist.matching.matcher import Matcher
from p2p_assist.session.build import SessionPlan, build_session
from p2p_assist.transcript.reader import read_call
from p2p_assist.ui.app import LiveCall, P2PApp, PickCase, make_app
from p2p_assist.ui.call_screen import CallContext, LiveCallScreen
from p2p_assist.ui.cards import CardStack
from p2p_assist.ui.checklist import Checklist
from p2p_assist.ui.transcript import TranscriptPane


def call_app(cases: Path, audio: Path, matcher: Matcher, save: bool = True) -> P2PApp:
    plan = SessionPlan(cases, CASE, None, "pocketsphinx", None, "practice", save=save)
    session = build_session(plan, WavFileSource(audio), matcher)
    context = CallContext(CASE, load_case(cases, CASE), "P2P window open", matcher.library)
    return make_app(LiveCall(session, context))


def call_screen(app: P2PApp) -> LiveCallScreen:
    screen = app.call_screen
    assert screen is not None
    return screen


async def run_until_ended(app: P2PApp, pilot: object, limit: float = 120.0) -> None:
    waited = 0.0
    while not call_screen(app).audio_ended and waited < limit:
        await pilot.pause(0.2)  # type: ignore[attr-defined]
        waited += 0.2
    assert call_screen(app).audio_ended, "the call did not end"
    await pilot.pause(0.2)  # type: ignore[attr-defined]


async def end_call(app: P2PApp, pilot: object, outcome: str = "denied") -> None:
    """e, pick the outcome, save; wait for the summary (closing runs in a worker thread)."""
    await pilot.press("e")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.click(f"#outcome-{outcome}")  # type: ignore[attr-defined]
    await pilot.click("#save")  # type: ignore[attr-defined]
    for _ in range(100):
        if app.screen.__class__.__name__ == "CallSummary":
            return
        await pilot.pause(0.1)  # type: ignore[attr-defined]
    raise AssertionError("the call summary never showed")


@pytest.mark.slow
async def test_practice_call_shows_cards_checklist_and_transcript(
    cases: Path, short_call: Path, matcher: Matcher, tts: None
) -> None:
    app = call_app(cases, short_call, matcher)
    async with app.run_test(size=(100, 30)) as pilot:
        await run_until_ended(app, pilot)
        cards = app.query_one(CardStack).cards()
        assert "experimental" in {card.card.objection_id for card in cards}
        experimental = next(c for c in cards if c.card.objection_id == "experimental")
        assert any(
            "evidence" in point.lower() or "guideline" in point.lower()
            for point in experimental.card.points
        )
        checklist = app.query_one(Checklist)
        assert checklist.value("reference_number") == "83056"
        assert (checklist.value("reviewer_name") or "").startswith("Mark")
        # Heard, not done: nothing is confirmed until the clinician says so.
        assert all(state.confirmed is None for state in checklist.states.values())
        assert len(app.query_one(TranscriptPane).lines) >= 3
        assert call_screen(app).paint_latencies


@pytest.mark.slow
async def test_keys_pin_dismiss_note_and_speaker(
    cases: Path, short_call: Path, matcher: Matcher, tts: None
) -> None:
    app = call_app(cases, short_call, matcher)
    async with app.run_test(size=(100, 30)) as pilot:
        await run_until_ended(app, pilot)
        stack = app.query_one(CardStack)
        before = len(stack.cards())
        await pilot.press("p")
        assert stack.cards()[0].pinned and stack.cards()[0].has_class("pinned")
        await pilot.press("d")
        await pilot.pause()
        assert len(stack.cards()) == before - 1
        await pilot.press("space")
        session = call_screen(app).session
        assert session.speaker == "clinician"
        await pilot.press("space")
        assert session.speaker is None
        await pilot.press("n")
        await pilot.press(*"called back at 3", "enter")
        await pilot.press("b")
        await pilot.pause()
        assert session.call_dir is not None
        kinds = [record.kind for record in read_call(session.call_dir).records]
        assert "note" in kinds and "bookmark" in kinds


@pytest.mark.slow
async def test_end_call_saves_the_outcome_and_shows_next_steps(
    cases: Path, short_call: Path, matcher: Matcher, tts: None
) -> None:
    app = call_app(cases, short_call, matcher)
    async with app.run_test(size=(100, 30)) as pilot:
        await run_until_ended(app, pilot)
        await pilot.press("y")  # the reference number, heard last, is right
        await pilot.pause()
        assert app.query_one(Checklist).states["reference_number"].confirmed == "83056"
        await end_call(app, pilot)
        finished = call_screen(app).finished
        call_dir = finished.call_dir if finished else None
        assert call_dir is not None
        meta = json.loads((call_dir / "call.json").read_text())
        assert meta["outcome"]["determination"] == "denied"
        assert meta["outcome"]["reference_number"] == "83056"
        summary = str(app.screen.query_one("#summary").render())
        assert "medical necessity letter" in summary.lower()
        # The practice run is written up and scored as it closes.
        assert f"call saved to {call_dir}" in summary
        assert f"call note written to {call_dir / 'note.md'}" in summary
        assert "practice score" in summary and (call_dir / "score.json").is_file()
        # ... and its answers scored, objection by objection (report/answer_score.py).
        assert "This practice run — your answers scored" in summary
        assert "Experimental / investigational — raised at" in summary
        note = (call_dir / "note.md").read_text()
        assert load_case(cases, CASE).prior_p2p != "held"  # a practice run is not a P2P
        assert "Determination: denied (entered after the call" in note
        assert "Reviewer's name: Mark" in note and "**heard, not confirmed**" in note
        assert "Experimental" in note or "experimental" in note


@pytest.mark.slow
async def test_unwritable_case_folder_is_saved_elsewhere_and_said_so(
    cases: Path,
    short_call: Path,
    matcher: Matcher,
    tts: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    (cases / CASE / "calls").write_text("not a folder")  # a real mkdir failure
    app = call_app(cases, short_call, matcher)
    async with app.run_test(size=(100, 30)) as pilot:
        await run_until_ended(app, pilot)
        banner = app.query_one("#banner")
        assert banner.has_class("shown") and banner.has_class("error")
        assert "in memory" in str(banner.render())
        assert len(app.query_one(TranscriptPane).lines) >= 3
        await end_call(app, pilot)
        finished = call_screen(app).finished
        assert finished is not None and finished.closed.saved
        assert finished.call_dir is not None and (tmp_path / "data") in finished.call_dir.parents
        saved = read_call(finished.call_dir).records
        assert sum(record.kind == "utterance" for record in saved) >= 3
        summary = str(app.screen.query_one("#summary").render())
        assert "saved instead to" in summary and str(finished.call_dir) in summary
        assert "nothing is lost yet" not in summary, "advice for the call in progress, not after"


async def test_case_picker_opens_the_chosen_case(
    cases: Path, short_call: Path, matcher: Matcher
) -> None:
    chosen: list[str] = []

    def start_call(case_id: str) -> LiveCall:
        chosen.append(case_id)
        plan = SessionPlan(cases, CASE, None, "pocketsphinx", None, "practice", save=False)
        session = build_session(plan, WavFileSource(short_call), matcher)
        return LiveCall(session, CallContext(CASE, None, "P2P window open", matcher.library))

    rows = [("case-a", "P2P window open"), (CASE, "P2P window closed")]
    app = make_app(PickCase(rows, start_call))
    async with app.run_test() as pilot:
        await pilot.press("down", "enter")
        for _ in range(100):
            if app.call_screen is not None:
                break
            await pilot.pause(0.1)
        assert chosen == [CASE] and app.call_screen is not None
        assert isinstance(app.screen, LiveCallScreen)


@pytest.mark.slow
async def test_checklist_value_can_be_fixed_by_hand(
    cases: Path, short_call: Path, matcher: Matcher, tts: None
) -> None:
    app = call_app(cases, short_call, matcher)
    async with app.run_test(size=(100, 30)) as pilot:
        await run_until_ended(app, pilot)
        await pilot.press("c")
        await pilot.pause()
        field = app.screen.query_one("#field")
        field.value = "reviewer_name"  # type: ignore[attr-defined]
        await pilot.pause()
        value = app.screen.query_one("#value")
        value.value = "Mark Stevens"  # type: ignore[attr-defined]
        value.focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause(0.3)
        checklist = app.query_one(Checklist)
        assert checklist.states["reviewer_name"].confirmed == "Mark Stevens"
        call_dir = call_screen(app).session.call_dir
        assert call_dir is not None
        edits = [r for r in read_call(call_dir).records if r.kind == "capture_edit"]
        assert edits and edits[-1].value == "Mark Stevens"


@pytest.mark.slow
async def test_transcript_follows_the_live_end_unless_scrolled_back(
    cases: Path, short_call: Path, matcher: Matcher, tts: None
) -> None:
    from p2p_assist.ui.transcript import TranscriptLog

    app = call_app(cases, short_call, matcher, save=False)
    async with app.run_test(size=(80, 11)) as pilot:
        await run_until_ended(app, pilot)
        log = app.query_one(TranscriptLog)
        # The last line's scroll lands after a repaint, which a busy machine may delay.
        for _ in range(100):
            if log.is_vertical_scroll_end:
                break
            await pilot.pause(0.1)
        assert log.follow and log.max_scroll_y > 0 and log.is_vertical_scroll_end
        log.action_scroll_home()
        assert not log.follow
        log.action_scroll_end()
        assert log.follow


async def test_a_heard_value_only_fills_the_end_dialog_once_confirmed(
    cases: Path, short_call: Path, matcher: Matcher, tts: None
) -> None:
    from textual.widgets import Input

    app = call_app(cases, short_call, matcher, save=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await run_until_ended(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        reference = app.screen.query_one("#reference", Input)
        assert reference.value == "" and "heard 83056" in reference.placeholder
        await pilot.press("escape")
        await pilot.press("y")
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#reference", Input).value == "83056"
