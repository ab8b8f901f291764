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
from p2p_assist.ui.app import CallApp, CallContext
from p2p_assist.ui.cards import CardStack
from p2p_assist.ui.checklist import Checklist
from p2p_assist.ui.transcript import TranscriptPane


def make_app(cases: Path, audio: Path, matcher: Matcher, save: bool = True) -> CallApp:
    plan = SessionPlan(cases, CASE, None, "pocketsphinx", None, "practice", save=save)
    session = build_session(plan, WavFileSource(audio), matcher, keep_open=True)
    case = load_case(cases, CASE)
    return CallApp(session, CallContext(CASE, case, "P2P window open"))


async def run_until_ended(app: CallApp, pilot: object, limit: float = 120.0) -> None:
    waited = 0.0
    while app.ended is None and waited < limit:
        await pilot.pause(0.2)  # type: ignore[attr-defined]
        waited += 0.2
    assert app.ended is not None, "the call did not end"
    await pilot.pause(0.2)  # type: ignore[attr-defined]


@pytest.mark.slow
async def test_practice_call_shows_cards_checklist_and_transcript(
    cases: Path, short_call: Path, matcher: Matcher, tts: None
) -> None:
    app = make_app(cases, short_call, matcher)
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
        assert checklist.values["reference_number"] == "83056"
        assert (checklist.values["reviewer_name"] or "").startswith("Mark")
        assert len(app.query_one(TranscriptPane).lines) >= 3
        assert app.paint_latencies


@pytest.mark.slow
async def test_keys_pin_dismiss_note_and_speaker(
    cases: Path, short_call: Path, matcher: Matcher, tts: None
) -> None:
    app = make_app(cases, short_call, matcher)
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
        assert app.session.speaker == "clinician"
        await pilot.press("space")
        assert app.session.speaker is None
        await pilot.press("n")
        await pilot.press(*"called back at 3", "enter")
        await pilot.press("b")
        await pilot.pause()
        records = app.session.writer.records if app.session.writer else ()
        kinds = [record.kind for record in records]
        assert "note" in kinds and "bookmark" in kinds


@pytest.mark.slow
async def test_end_call_saves_the_outcome_and_shows_next_steps(
    cases: Path, short_call: Path, matcher: Matcher, tts: None
) -> None:
    app = make_app(cases, short_call, matcher)
    async with app.run_test(size=(100, 30)) as pilot:
        await run_until_ended(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        await pilot.click("#outcome-denied")
        await pilot.click("#save")
        for _ in range(50):  # closing and writing the note happen in a worker thread
            if app.screen.__class__.__name__ == "CallSummary":
                break
            await pilot.pause(0.1)
        assert app.screen is not dialog and app.screen.__class__.__name__ == "CallSummary"
        call_dir = app.ended.call_dir if app.ended else None
        assert call_dir is not None
        meta = json.loads((call_dir / "call.json").read_text())
        assert meta["outcome"]["determination"] == "denied"
        assert meta["outcome"]["reference_number"] == "83056"
        summary = str(app.screen.query_one("#summary").render())
        assert "medical necessity letter" in summary.lower()
        # The practice run is written up and scored as it closes.
        assert f"call note written to {call_dir / 'note.md'}" in summary
        assert "practice score" in summary and (call_dir / "score.json").is_file()
        note = (call_dir / "note.md").read_text()
        assert "Determination: denied (entered after the call" in note
        assert "Experimental" in note or "experimental" in note


@pytest.mark.slow
async def test_unwritable_case_folder_shows_a_banner_and_the_call_goes_on(
    cases: Path, short_call: Path, matcher: Matcher, tts: None
) -> None:
    (cases / CASE / "calls").write_text("not a folder")  # a real mkdir failure
    app = make_app(cases, short_call, matcher)
    async with app.run_test(size=(100, 30)) as pilot:
        await run_until_ended(app, pilot)
        banner = app.query_one("#banner")
        assert banner.has_class("shown") and banner.has_class("error")
        assert "in memory" in str(banner.render())
        assert len(app.query_one(TranscriptPane).lines) >= 3
        assert app.session.writer is not None and len(app.session.writer.records) >= 3


async def test_case_picker_opens_the_chosen_case() -> None:
    from p2p_assist.ui.picker import CasePicker

    picker = CasePicker([("case-a", "P2P window open"), ("case-b", "P2P window closed")])
    async with picker.run_test() as pilot:
        await pilot.press("down", "enter")
    assert picker.return_value == "case-b"


@pytest.mark.slow
async def test_checklist_value_can_be_fixed_by_hand(
    cases: Path, short_call: Path, matcher: Matcher, tts: None
) -> None:
    app = make_app(cases, short_call, matcher)
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
        assert app.query_one(Checklist).values["reviewer_name"] == "Mark Stevens"
        edits = [r for r in app.session.writer.records if r.kind == "capture_edit"]  # type: ignore[union-attr]
        assert edits and edits[-1].value == "Mark Stevens"


@pytest.mark.slow
async def test_transcript_follows_the_live_end_unless_scrolled_back(
    cases: Path, short_call: Path, matcher: Matcher, tts: None
) -> None:
    from p2p_assist.ui.transcript import TranscriptLog

    app = make_app(cases, short_call, matcher, save=False)
    async with app.run_test(size=(80, 11)) as pilot:
        await run_until_ended(app, pilot)
        log = app.query_one(TranscriptLog)
        # The last line's scroll lands after a repaint, which a busy machine may delay.
        for _ in range(20):
            if log.is_vertical_scroll_end:
                break
            await pilot.pause(0.1)
        assert log.follow and log.max_scroll_y > 0 and log.is_vertical_scroll_end
        log.action_scroll_home()
        assert not log.follow
        log.action_scroll_end()
        assert log.follow
