"""note.md: the call written up for the claims file, from what was really saved."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from report_support import ANSWER, CASE, OBJECTION, copy_case, demo_case, library, write_call
from transcript_support import mode

from p2p_assist.basics.business_days import add_business_days, long_day
from p2p_assist.cli.main import main
from p2p_assist.lifecycle.startup import recover_unfinished
from p2p_assist.report.after_call import write_reports
from p2p_assist.report.digest import digest_call
from p2p_assist.report.note import render_note
from p2p_assist.transcript import Outcome
from p2p_assist.transcript.reader import list_calls


def note_for(call_dir: Path, cases: Path) -> str:
    return render_note(digest_call(call_dir, library()), demo_case(cases), library())


def test_objection_is_quoted_with_its_time_and_the_answer_given(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    note = note_for(write_call(cases).call_dir, cases)
    assert f"> “{OBJECTION}” — Reviewer, 01:05" in note
    assert f"- [01:11] Clinician: {ANSWER}" in note
    assert "Raised again at 02:10." in note


def test_values_say_whether_heard_corrected_or_unconfirmed(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    note = note_for(write_call(cases).call_dir, cases)
    assert "Reviewer's name: mark stevens (heard at 00:03" in note
    assert "**heard, not confirmed**" in note.split("Reviewer's name:")[1].split("\n")[0]
    assert "Reference number: PA-55 (entered by the clinician during the call)" in note
    # Never heard: unconfirmed, with what the denial letter says.
    criteria = demo_case(cases).denial.criteria_set
    assert f"**not heard — unconfirmed** (the denial letter gives: {criteria})" in note


def test_outcome_promises_notes_and_bookmarks_are_recorded(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    outcome = Outcome(determination="denied", promised="TB result by fax", by_when="Friday")
    note = note_for(write_call(cases, outcome=outcome).call_dir, cases)
    assert "Determination: denied (entered after the call)" in note
    assert "- Promised: TB result by fax, by Friday" in note
    assert ": reviewer wants the TB result" in note
    assert "- Bookmark at 01:20: criteria named" in note


def test_denial_next_steps_carry_deadlines_from_the_call_and_the_letter(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    writer = write_call(cases, outcome=Outcome(determination="denied"))
    note = note_for(writer.call_dir, cases)
    call_day = writer.meta.started.date()
    assert "## Next steps (denied)" in note
    letter_due = long_day(add_business_days(call_day, 3))
    assert (
        f"Send a medical necessity letter — **by {letter_due}** (3 business days after the call)"
    ) in note
    # 180 days from 16 Nov 2026 is a Saturday: the note says so and names the Friday.
    assert (
        "Written appeal deadline — **due Sat 15 May 2027 (a Saturday) — send by Fri 14 May 2027** "
        "(180 days from the denial letter of Mon 16 Nov 2026)"
    ) in note
    assert "Request an expedited appeal" not in note  # the demo case is not urgent
    assert "Appeal rather than ask for a second P2P" in note  # one P2P per denial
    assert not re.search(r"\b1 days\b", note)


def _with_consent(call_dir: Path, answer: str) -> None:
    path = call_dir / "call.json"
    meta = json.loads(path.read_text())
    meta["consent"] = answer
    path.write_text(json.dumps(meta))


@pytest.mark.parametrize(
    ("answer", "line"),
    [
        ("yes", "- Consent to transcribe: yes — the other party agreed"),
        ("no", "- Consent to transcribe: no — the other party declined, so transcription was off"),
        ("not asked", "- Consent to transcribe: not asked — the other party was not told"),
    ],
)
def test_the_consent_answer_is_in_the_note(tmp_path: Path, answer: str, line: str) -> None:
    cases = copy_case(tmp_path)
    call_dir = write_call(cases).call_dir
    _with_consent(call_dir, answer)
    assert line in note_for(call_dir, cases)


def test_a_call_saved_before_consent_was_asked_has_no_consent_line(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    assert "Consent to transcribe" not in note_for(write_call(cases).call_dir, cases)


def test_an_unknown_consent_answer_is_refused_when_read(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    call_dir = write_call(cases).call_dir
    _with_consent(call_dir, "maybe")
    assert "call.json unreadable" in note_for(call_dir, cases)


def test_a_reviewer_from_another_specialty_adds_a_same_specialty_request(tmp_path: Path) -> None:
    from p2p_assist.transcript import CaptureEdit

    cases = copy_case(tmp_path)
    writer = write_call(cases, outcome=Outcome(determination="denied"), close=False)
    writer.append(CaptureEdit(field="reviewer_specialty", value="family medicine"))
    writer.close()
    assert "Ask for a same-specialty review" in note_for(writer.call_dir, cases)
    peer = write_call(cases, outcome=Outcome(determination="denied"))
    assert "Ask for a same-specialty review" not in note_for(peer.call_dir, cases)


def test_practice_and_unfinished_calls_are_labelled(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    note = note_for(write_call(cases, kind="practice", close=False).call_dir, cases)
    assert "practice run (rehearsal, not a payer decision)" in note
    assert "This call was not ended normally" in note


def test_a_damaged_line_is_reported_and_the_rest_still_written_up(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    call_dir = write_call(cases).call_dir
    with (call_dir / "transcript.jsonl").open("ab") as transcript:
        transcript.write(b'{"kind": "utterance", "start": 1, "te\n')
    note = note_for(call_dir, cases)
    assert "transcript.jsonl line 8: damaged, skipped" in note
    assert OBJECTION in note


def test_a_call_without_call_json_still_gets_a_note(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    call_dir = write_call(cases).call_dir
    (call_dir / "call.json").unlink()
    reports = write_reports(call_dir, demo_case(cases), library())
    text = (call_dir / "note.md").read_text()
    assert reports.note is not None and reports.problems == []
    assert "call.json unreadable" in text and OBJECTION in text
    assert mode(call_dir / "note.md") == 0o600


def test_closing_a_call_writes_its_note_beside_the_transcript(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    call_dir = write_call(cases).call_dir
    reports = write_reports(call_dir, demo_case(cases), library())
    assert reports.note is not None and reports.note.path == call_dir / "note.md"
    assert reports.score is None  # only practice runs are scored
    assert (call_dir / "note.md").read_text().startswith("# Peer-to-peer call note")


def test_note_command_keeps_a_hand_edited_note_and_writes_a_new_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = copy_case(tmp_path)
    call_dir = write_call(cases).call_dir
    assert main(["--cases", str(cases), "note", CASE]) == 0
    note = call_dir / "note.md"
    edited = note.read_text() + "\nAdded by me after the call.\n"
    note.write_text(edited)
    assert main(["--cases", str(cases), "note", CASE, call_dir.name]) == 0
    assert note.read_text() == edited
    assert (call_dir / "note-2.md").is_file()
    assert "has your edits, so the new note is" in capsys.readouterr().err


def test_note_command_names_the_calls_when_the_call_is_unknown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = copy_case(tmp_path)
    call_dir = write_call(cases).call_dir
    assert main(["--cases", str(cases), "note", CASE, "2020-01-01T00-00-00"]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "no call named" in line and call_dir.name in line


def test_note_command_with_a_broken_case_still_writes_the_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = copy_case(tmp_path)
    call_dir = write_call(cases).call_dir
    (cases / CASE / "case.toml").write_text("title = [unclosed\n")
    assert main(["--cases", str(cases), "note", CASE]) == 0
    assert "written without the case's facts" in capsys.readouterr().err
    assert OBJECTION in (call_dir / "note.md").read_text()


CALL_THEN_DIE = """
import os, signal, sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from report_support import write_call

write_call(Path(sys.argv[1]), close=False)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_call_killed_mid_way_is_recovered_and_written_up(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    tests = str(Path(__file__).resolve().parent.parent)
    died = subprocess.run([sys.executable, "-c", CALL_THEN_DIE, str(cases), tests], check=False)
    assert died.returncode == -signal.SIGKILL
    messages = recover_unfinished(cases, CASE, demo_case(cases), library())
    assert len(messages) == 1 and "recovered an unfinished call" in messages[0]
    (call_dir,) = list_calls(cases, CASE)
    note = (call_dir / "note.md").read_text()
    assert "This call was not ended normally" in note and OBJECTION in note
