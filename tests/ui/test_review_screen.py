"""`p2p-assist review CASE` under the pilot, on call folders written by the real writer."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CASE
from textual.app import App
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import DataTable, Markdown, OptionList, Static

from p2p_assist.cases.store import load_case
from p2p_assist.cli.main import main
from p2p_assist.library.load import Library, load_library
from p2p_assist.report.after_call import write_reports
from p2p_assist.transcript import writer as writer_module
from p2p_assist.transcript.layout import CALL_JSON, TRANSCRIPT_JSONL
from p2p_assist.transcript.lock import LOCK_NAME, CallLock
from p2p_assist.transcript.records import (
    Bookmark,
    CallKind,
    Note,
    Outcome,
    Record,
    SavedCapture,
    SavedObjection,
    Speaker,
    Utterance,
)
from p2p_assist.transcript.recovery import close_unfinished
from p2p_assist.transcript.writer import open_new_call
from p2p_assist.ui.app import P2PApp, Review, make_app
from p2p_assist.ui.review_call import SPAN_STYLE, ReviewCallScreen
from p2p_assist.ui.review_list import CallListScreen

ZONE = dt.timezone(dt.timedelta(hours=-5))
FIRST_CALL = dt.datetime(2026, 11, 18, 14, 5, tzinfo=ZONE)
SECOND_CALL = dt.datetime(2026, 11, 19, 9, 30, tzinfo=ZONE)

STEP_THERAPY = "Has she tried the preferred biosimilar first?"
INVESTIGATIONAL = "Weekly dosing from day one is off label, and we consider it investigational."


@dataclass
class Clock:
    """Stands in for the writer's clock, so a call starts and ends when the test says."""

    at: dt.datetime

    def now(self) -> dt.datetime:
        return self.at


def freeze_writer_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fixed = Clock(FIRST_CALL)
    monkeypatch.setattr(writer_module, "now", fixed.now)
    return fixed


@functools.cache
def demo_library() -> Library:
    return load_library()


def say(start: float, speaker: Speaker, text: str, *hits: tuple[str, str]) -> Utterance:
    """An utterance; each hit is (objection id, the words in `text` that raised it)."""
    objections = [
        SavedObjection(id=id_, score=90.0, span=(text.index(words), text.index(words) + len(words)))
        for id_, words in hits
    ]
    return Utterance(
        t=FIRST_CALL + dt.timedelta(seconds=start + 4.0),  # written when it ends, as live
        start=start,
        end=start + 4.0,
        speaker=speaker,
        text=text,
        objections=objections,
    )


def conversation(started: dt.datetime = FIRST_CALL, filler: int = 0) -> list[Record]:
    """A short peer-to-peer call; `filler` lines of small talk push the objections down."""
    small_talk = [say(10.0 + n, "clinician", f"Small talk {n + 1}.") for n in range(filler)]
    base = 10.0 + filler
    return [
        say(2.0, "reviewer", "Hello, this is Doctor Mark Stevens, rheumatology."),
        *small_talk,
        say(base, "reviewer", STEP_THERAPY, ("step_therapy", "tried the preferred biosimilar")),
        say(base + 6, "clinician", "She failed methotrexate and the biosimilar over eight months."),
        Bookmark(t=started, stream_time=base + 12, label="failure dates"),
        say(base + 20, "reviewer", INVESTIGATIONAL, ("experimental", "investigational")),
        Note(t=started + dt.timedelta(seconds=base + 26), text="ask for the policy number"),
        Utterance(
            t=started,
            start=base + 30,
            end=base + 34,
            speaker="reviewer",
            text="So the request stays denied for now.",
            captures=[SavedCapture(field="determination", value="denied")],
        ),
    ]


def record_call(
    cases: Path,
    clock: Clock,
    started: dt.datetime,
    records: Sequence[Record],
    *,
    kind: CallKind = "practice",
    outcome: Outcome | None = None,
    close: bool = True,
) -> Path:
    """A call folder written by the real writer, started at `started`."""
    clock.at = started
    writer = open_new_call(cases, CASE, kind, "pocketsphinx", "mock-call.wav")
    for record in records:
        writer.append(record)
    if outcome is not None:
        writer.set_outcome(outcome)
    if close:
        last = max((r.end for r in records if isinstance(r, Utterance)), default=0.0)
        clock.at = started + dt.timedelta(seconds=last + 1)
        writer.close()
    return writer.call_dir


def with_note(call_dir: Path, cases: Path, library: Library) -> Path:
    reports = write_reports(call_dir, load_case(cases, CASE), library)
    assert reports.note is not None, reports.problems
    return call_dir


async def loaded(pilot: Pilot[None]) -> None:
    """Let the screen's reading worker finish and its messages be painted."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def table_rows(app: App[None]) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]


async def open_row(pilot: Pilot[None], row: int) -> ReviewCallScreen:
    table = pilot.app.screen.query_one(DataTable)
    table.move_cursor(row=row)
    await pilot.press("enter")
    await loaded(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReviewCallScreen)
    return screen


def transcript_lines(screen: ReviewCallScreen) -> list[str]:
    transcript = screen.query_one("#transcript", OptionList)
    return [str(option.prompt) for option in transcript.options]


def banner(screen: ReviewCallScreen) -> Static:
    return screen.query_one("#banner", Static)


def app_for(cases: Path, library: Library) -> P2PApp:
    return make_app(Review(cases, CASE, library))


async def test_each_call_is_a_row_newest_first_with_its_outcome_and_objections(
    cases: Path, clock: Clock, library: Library
) -> None:
    record_call(cases, clock, FIRST_CALL, conversation(), outcome=Outcome(determination="approved"))
    record_call(cases, clock, SECOND_CALL, conversation(SECOND_CALL), kind="live")
    async with app_for(cases, library).run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        # The length is on the audio clock: no audio was fed, so up to the last thing said
        # (00:44), not the wall clock's 00:45 at close.
        assert table_rows(pilot.app) == [
            # No outcome entered: the determination heard on the call.
            ["2026-11-19 09:30", "live", "00:44", "ended", "denied", "Step therapy, Experimental"],
            # Entered after the call, it wins over what was heard.
            [
                "2026-11-18 14:05",
                "practice",
                "00:44",
                "ended",
                "approved",
                "Step therapy, Experimental",
            ],
        ]


async def test_unfinished_and_recovered_calls_are_marked(
    cases: Path, clock: Clock, library: Library
) -> None:
    record_call(cases, clock, FIRST_CALL, conversation())
    record_call(cases, clock, FIRST_CALL + dt.timedelta(hours=1), conversation(), close=False)
    crashed = record_call(cases, clock, SECOND_CALL, conversation(SECOND_CALL), close=False)
    # The crashed process's lock goes stale; releasing it here plays that part.
    CallLock(crashed / LOCK_NAME).release()
    close_unfinished(crashed)
    async with app_for(cases, library).run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        statuses = [row[3] for row in table_rows(pilot.app)]
        assert statuses == ["⚠ recovered", "⚠ unfinished", "ended"]
        screen = await open_row(pilot, 1)
        assert "never closed" in str(banner(screen).render())
        assert banner(screen).display


async def test_opening_a_call_shows_its_lines_in_time_order_with_markers_and_its_note(
    cases: Path, clock: Clock, library: Library
) -> None:
    with_note(record_call(cases, clock, FIRST_CALL, conversation()), cases, library)
    async with app_for(cases, library).run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        screen = await open_row(pilot, 0)
        assert transcript_lines(screen) == [
            "[00:02] Reviewer: Hello, this is Doctor Mark Stevens, rheumatology.",
            f"[00:10] Reviewer: {STEP_THERAPY}  ▲ Step therapy",
            "[00:16] Clinician: She failed methotrexate and the biosimilar over eight months.",
            "[00:22] ◆ Bookmark: failure dates",
            f"[00:30] Reviewer: {INVESTIGATIONAL}  ▲ Experimental",
            "[00:36] ✎ Note: ask for the policy number",
            "[00:40] Reviewer: So the request stays denied for now.",
        ]
        assert lit_words(screen, 1) == ["tried the preferred biosimilar"]
        moments = screen.query_one("#moments", OptionList)
        assert [str(option.prompt) for option in moments.options] == [
            "▲ 00:10 Step therapy",
            "◆ 00:22 failure dates",
            "▲ 00:30 Experimental",
            "✎ 00:36 ask for the policy number",
        ]
        note = screen.query_one("#note-text", Markdown).source
        assert note.startswith("# Peer-to-peer call note — case demo-ra-biologic")
        assert "sha256" not in note
        assert not banner(screen).display


def lit_words(screen: ReviewCallScreen, line: int) -> list[str]:
    """The words of a transcript line drawn in the objection highlight."""
    prompt = screen.query_one("#transcript", OptionList).get_option_at_index(line).prompt
    assert isinstance(prompt, Content)
    return [
        prompt.plain[span.start : span.end] for span in prompt.spans if span.style == SPAN_STYLE
    ]


async def test_choosing_an_objection_moment_highlights_its_line_and_scrolls_to_it(
    cases: Path, clock: Clock, library: Library
) -> None:
    record_call(cases, clock, FIRST_CALL, conversation(filler=40))
    async with app_for(cases, library).run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        screen = await open_row(pilot, 0)
        transcript = screen.query_one("#transcript", OptionList)
        target = next(n for n, line in enumerate(transcript_lines(screen)) if STEP_THERAPY in line)
        assert transcript.scroll_y == 0 and target >= transcript.scrollable_content_region.height
        await pilot.press("enter")  # the first moment: step therapy
        await pilot.pause()
        assert transcript.highlighted == target
        # Every line above it is one row high, so its row is its index.
        top = transcript.scroll_y
        assert top <= target < top + transcript.scrollable_content_region.height
        await pilot.press("down", "down", "enter")  # the investigational line
        await pilot.pause()
        assert transcript.highlighted is not None
        assert INVESTIGATIONAL in transcript_lines(screen)[transcript.highlighted]


async def test_a_damaged_line_is_named_in_a_banner_and_the_rest_still_shows(
    cases: Path, clock: Clock, library: Library
) -> None:
    call_dir = record_call(cases, clock, FIRST_CALL, conversation())
    with (call_dir / TRANSCRIPT_JSONL).open("ab") as transcript:
        transcript.write(b'{"kind": "utterance", "start": \x00\xff garbage\n')
    async with app_for(cases, library).run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert table_rows(pilot.app)[0][3] == "⚠ damaged"
        screen = await open_row(pilot, 0)
        assert banner(screen).display
        assert "transcript.jsonl line 8: damaged, skipped" in str(banner(screen).render())
        assert len(transcript_lines(screen)) == 7


async def test_a_call_without_call_json_is_listed_and_opens(
    cases: Path, clock: Clock, library: Library
) -> None:
    call_dir = record_call(cases, clock, FIRST_CALL, conversation())
    (call_dir / CALL_JSON).unlink()
    async with app_for(cases, library).run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        # The start comes from the folder name; length from the last thing said.
        assert table_rows(pilot.app) == [
            ["2026-11-18 14:05", "?", "00:44", "⚠ damaged", "denied", "Step therapy, Experimental"]
        ]
        screen = await open_row(pilot, 0)
        assert "call.json: missing" in str(banner(screen).render())
        lines = transcript_lines(screen)
        assert len(lines) == 7
        # Without the start time a note still has its time: after the line before it.
        assert lines[5] == "[00:36] ✎ Note: ask for the policy number"


async def test_escape_goes_back_to_the_list_and_q_quits(
    cases: Path, clock: Clock, library: Library
) -> None:
    record_call(cases, clock, FIRST_CALL, conversation())
    app = app_for(cases, library)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await open_row(pilot, 0)
        await pilot.press("escape")
        assert isinstance(app.screen, CallListScreen)
        assert app.screen.query_one(DataTable).row_count == 1
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_an_empty_case_says_how_to_record_a_call(cases: Path, library: Library) -> None:
    async with app_for(cases, library).run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        empty = pilot.app.screen.query_one("#empty", Static)
        assert empty.display and not pilot.app.screen.query_one(DataTable).display
        assert f"p2p-assist practice {CASE}" in str(empty.render())
        assert f"p2p-assist call {CASE}" in str(empty.render())


async def test_a_call_without_a_note_says_how_to_write_one(
    cases: Path, clock: Clock, library: Library
) -> None:
    call_dir = record_call(cases, clock, FIRST_CALL, conversation())
    async with app_for(cases, library).run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        screen = await open_row(pilot, 0)
        note = screen.query_one("#note-text", Markdown).source
        assert f"p2p-assist note {CASE} {call_dir.name}" in note


@pytest.mark.parametrize(("size", "note_first"), [((100, 30), True), ((80, 24), False)])
async def test_n_shows_or_hides_the_note_as_the_width_allows(
    size: tuple[int, int], note_first: bool, cases: Path, clock: Clock, library: Library
) -> None:
    with_note(record_call(cases, clock, FIRST_CALL, conversation()), cases, library)
    async with app_for(cases, library).run_test(size=size) as pilot:
        await loaded(pilot)
        screen = await open_row(pilot, 0)
        note, transcript = screen.query_one("#note"), screen.query_one("#transcript")
        assert (note.display, transcript.display) == (note_first, True)
        await pilot.press("n")
        await pilot.pause()
        # Wide: the note folds away; narrow: it takes the transcript's place.
        assert (note.display, transcript.display) == (not note_first, note_first)


def test_reviewing_an_unknown_case_is_one_line_and_exit_2(
    cases: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--cases", str(cases), "review", "NOSUCH"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "NOSUCH" in error and "case folder not found" in error
