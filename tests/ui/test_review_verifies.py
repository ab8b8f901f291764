"""Review that verifies: under the pilot, the clinician fixes a line's words and speaker,
confirms or rejects an objection, confirms a value and signs; each is saved as a correction
of its own (the transcript is never rewritten) and the note is rebuilt from them. A second
reviewer gets the call read-only."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

from test_review_screen import (
    FIRST_CALL,
    INVESTIGATIONAL,
    STEP_THERAPY,
    Clock,
    app_for,
    conversation,
    loaded,
    open_row,
    record_call,
    with_note,
)
from textual.widgets import Input, OptionList

from p2p_assist.library.load import Library
from p2p_assist.report.signing import note_status, sign_note
from p2p_assist.transcript.corrections import read_corrections
from p2p_assist.transcript.layout import TRANSCRIPT_JSONL
from p2p_assist.ui.review_call import READ_ONLY, ReviewCallScreen


async def highlight(screen: ReviewCallScreen, pilot: Any, text: str) -> None:
    transcript = screen.query_one("#transcript", OptionList)
    transcript.focus()
    for index, option in enumerate(transcript.options):
        if text in str(option.prompt):
            transcript.highlighted = index
            await pilot.pause()
            return
    raise AssertionError(f"no line with {text!r}")


async def settle(pilot: Any) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def note_of(call_dir: Path) -> str:
    return (call_dir / "note.md").read_text()


async def test_corrections_are_saved_apart_and_the_note_is_rebuilt(
    cases: Path, clock: Clock, library: Library
) -> None:
    call_dir = with_note(record_call(cases, clock, FIRST_CALL, conversation()), cases, library)
    transcript_before = (call_dir / TRANSCRIPT_JSONL).read_bytes()
    assert "### 2. Experimental" in note_of(call_dir)
    async with app_for(cases, library).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        screen = await open_row(pilot, 0)
        # The words: the recogniser misheard the reviewer's name.
        await highlight(screen, pilot, "Doctor Mark Stevens")
        await pilot.press("t")
        await pilot.pause()
        pilot.app.screen.query_one("#text", Input).value = "Hello, this is Doctor Mark Stephens."
        await pilot.press("enter")
        await settle(pilot)
        # The speaker: w goes clinician → unknown → reviewer.
        await highlight(screen, pilot, "She failed methotrexate")
        await pilot.press("w")
        await settle(pilot)
        unknown = [str(option.prompt) for option in screen.query_one(OptionList).options]
        await pilot.press("w")
        await settle(pilot)
        # The objections: step therapy was made; "investigational" was not an objection.
        await highlight(screen, pilot, STEP_THERAPY)
        await pilot.press("o")
        await settle(pilot)
        await highlight(screen, pilot, INVESTIGATIONAL)
        await pilot.press("x")
        await settle(pilot)
        transcript = screen.query_one("#transcript", OptionList)
        lines = [str(option.prompt) for option in transcript.options]
    # A corrected line is marked ✎, with what was heard beside it.
    assert (
        "[00:02] ✎ Reviewer: Hello, this is Doctor Mark Stephens."
        "  · heard: “Hello, this is Doctor Mark Stevens, rheumatology.”" in lines
    )
    assert (
        "[00:16] ✎ Reviewer: She failed methotrexate and the biosimilar over eight months."
        "  · heard as Clinician" in lines
    )
    assert "[00:16] ✎ Speaker: She failed methotrexate" in "\n".join(unknown)
    judged = [line for line in lines if "Experimental (not an objection)" in line]
    assert judged and "✎" not in judged[0]  # an objection judged is not a line corrected
    assert (call_dir / TRANSCRIPT_JSONL).read_bytes() == transcript_before  # never rewritten
    corrections, problems = read_corrections(call_dir)
    assert [c.kind for c in corrections] == ["line", "line", "line", "objection", "objection"]
    assert problems == []
    note = note_of(call_dir)
    assert "### 1. Step therapy" in note and "(confirmed in review)" in note
    assert "### Rejected in review" in note and "Experimental" in note.split("Rejected")[1]
    assert "### 2. Experimental" not in note


async def test_a_value_confirmed_in_review_is_confirmed_in_the_note(
    cases: Path, clock: Clock, library: Library
) -> None:
    call_dir = with_note(record_call(cases, clock, FIRST_CALL, conversation()), cases, library)
    assert "Determination: denied (heard at" in note_of(call_dir)
    async with app_for(cases, library).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await open_row(pilot, 0)
        await pilot.press("v")
        await pilot.pause()
        dialog = pilot.app.screen
        dialog.query_one("#field").value = "determination"  # type: ignore[attr-defined]
        await pilot.pause()
        value = dialog.query_one("#value", Input)
        assert value.value == "denied"
        value.focus()
        await pilot.press("enter")
        await settle(pilot)
    assert "Determination: denied (confirmed by the clinician in review)" in note_of(call_dir)


async def test_signing_freezes_the_note_and_says_who(
    cases: Path, clock: Clock, library: Library
) -> None:
    call_dir = with_note(record_call(cases, clock, FIRST_CALL, conversation()), cases, library)
    async with app_for(cases, library).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        screen = await open_row(pilot, 0)
        await pilot.press("s")
        await pilot.pause()
        pilot.app.screen.query_one("#text", Input).value = "Dr Ana Ruiz"
        await pilot.press("enter")
        await settle(pilot)
        title = str(screen.query_one("#call-title").render())
        assert "note: signed by Dr Ana Ruiz" in title
        signed = note_of(call_dir)
        # Signed is final: a correction is refused, and the note stays as signed.
        await highlight(screen, pilot, INVESTIGATIONAL)
        await pilot.press("x")
        await settle(pilot)
    assert read_corrections(call_dir) == ([], [])
    assert note_of(call_dir) == signed
    status = note_status(call_dir)
    assert status.signature is not None and status.signature.by == "Dr Ana Ruiz" and status.intact


def test_a_signature_says_so_when_the_call_changed_after_signing(
    cases: Path, clock: Clock, library: Library
) -> None:
    call_dir = with_note(record_call(cases, clock, FIRST_CALL, conversation()), cases, library)
    sign_note(call_dir, "Dr Ana Ruiz", dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC))
    with_note(call_dir, cases, library)  # regenerating leaves a signed note alone
    assert note_status(call_dir).intact
    with (call_dir / TRANSCRIPT_JSONL).open("ab") as transcript:
        transcript.write(b"\n")
    assert "CHANGED SINCE SIGNING" in note_status(call_dir).label


HOLD_REVIEW_LOCK = """
import sys, time
from pathlib import Path
from p2p_assist.transcript.review_lock import ReviewLock
lock = ReviewLock.try_acquire(Path(sys.argv[1]))
print("held" if lock else "refused", flush=True)
time.sleep(60)
"""


async def test_a_second_reviewer_gets_the_call_read_only(
    cases: Path, clock: Clock, library: Library
) -> None:
    call_dir = with_note(record_call(cases, clock, FIRST_CALL, conversation()), cases, library)
    other = subprocess.Popen(
        [sys.executable, "-c", HOLD_REVIEW_LOCK, str(call_dir)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "held"
        async with app_for(cases, library).run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            screen = await open_row(pilot, 0)
            assert screen.read_only
            assert READ_ONLY in str(screen.query_one("#banner").render())
            await highlight(screen, pilot, INVESTIGATIONAL)
            await pilot.press("x")
            await settle(pilot)
        assert read_corrections(call_dir) == ([], [])
    finally:
        other.kill()
        other.wait()


def test_snapshot_of_a_call_whose_note_is_signed(
    cases: Path, clock: Clock, library: Library, snap_compare: Any
) -> None:
    call_dir = with_note(record_call(cases, clock, FIRST_CALL, conversation()), cases, library)
    sign_note(call_dir, "Dr Ana Ruiz", dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC))
    app = app_for(cases, library)

    async def open_it(pilot: Any) -> None:
        await loaded(pilot)
        await open_row(pilot, 0)

    assert snap_compare(app, terminal_size=(110, 30), run_before=open_it)
