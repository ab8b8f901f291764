"""A value heard is never taken as done: it says how sure the recogniser was and the words it
came from, a doubtful one asks to be read back, a later one does not overwrite an earlier one,
and the note says which values the clinician confirmed."""

from __future__ import annotations

from pathlib import Path

from report_support import CASE, copy_case, demo_case, library

from p2p_assist.matching.call_matcher import word_confidences
from p2p_assist.matching.captures import CaptureExtractor
from p2p_assist.recognition.base import Word
from p2p_assist.report.digest import digest_call
from p2p_assist.report.note import render_note
from p2p_assist.session.checklist import SessionChecklist
from p2p_assist.transcript import Utterance, open_new_call
from p2p_assist.transcript.records import CaptureConfirmed, SavedCapture

EXTRACTOR = CaptureExtractor(library().documentation.items)


def captured(text: str, words: list[Word] | None = None) -> dict[str, tuple[str, float]]:
    confidences = word_confidences(words) if words else None
    return {
        c.field: (c.value, c.confidence) for c in EXTRACTOR.extract(text, "reviewer", confidences)
    }


def test_a_reference_number_missing_a_digit_is_doubtful() -> None:
    whole = captured("the reference number is 4 7 2 9 1")
    short = captured("the reference number is 4 7 2 9")
    assert whole["reference_number"] == ("47291", 1.0)
    assert short["reference_number"][0] == "4729" and short["reference_number"][1] < 0.6


def test_a_name_the_recogniser_was_unsure_of_is_doubtful() -> None:
    words = [
        Word("this", 0.0, 0.2, 1.0),
        Word("is", 0.2, 0.3, 1.0),
        Word("doctor", 0.3, 0.6, 0.9),
        Word("carolyn", 0.6, 1.0, 0.4),
        Word("field", 1.0, 1.3, 0.45),
    ]
    value, confidence = captured("this is doctor carolyn field", words)["reviewer_name"]
    assert value == "Carolyn Field" and confidence == 0.4
    sure = [Word(w.text, w.start, w.end, 0.95) for w in words]
    assert captured("this is doctor carolyn field", sure)["reviewer_name"][1] == 0.95


def test_a_later_value_is_kept_beside_the_earlier_until_the_clinician_picks() -> None:
    checklist = SessionChecklist.for_documentation(library().documentation)
    checklist.hear(EXTRACTOR.extract("the letter goes out within 24 hours", "reviewer"), 10.0)
    checklist.hear(EXTRACTOR.extract("sorry the notice goes out in 72 hours", "reviewer"), 20.0)
    state = checklist.snapshot()["decision_timeline"]
    assert state.values_heard == ["24 hours", "72 hours"] and state.conflicting
    assert state.confirmed is None and checklist.next_to_confirm() == "decision_timeline"
    assert checklist.confirm("decision_timeline", "24 hours") == "24 hours"
    state = checklist.snapshot()["decision_timeline"]
    assert state.value == "24 hours" and not state.conflicting
    assert checklist.next_to_confirm() is None


def test_the_note_says_confirmed_heard_or_not_heard_for_each_value(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    writer = open_new_call(cases, CASE, "live", "pocketsphinx", "test")
    capture = SavedCapture
    writer.append(
        Utterance(
            start=5.0,
            end=8.0,
            speaker="reviewer",
            text="this is doctor carolyn field",
            captures=[capture(field="reviewer_name", value="Carolyn Field", confidence=0.4)],
        )
    )
    writer.append(
        Utterance(
            start=60.0,
            end=64.0,
            speaker="reviewer",
            text="the reference number is 4 7 2 9 1 and the letter goes out within 24 hours",
            captures=[
                capture(field="reference_number", value="47291"),
                capture(field="decision_timeline", value="24 hours"),
            ],
        )
    )
    writer.append(
        Utterance(
            start=90.0,
            end=93.0,
            speaker="reviewer",
            text="actually the notice goes out in 72 hours",
            captures=[capture(field="decision_timeline", value="72 hours")],
        )
    )
    writer.append(CaptureConfirmed(field="reference_number", value="47291"))
    writer.close()
    note = render_note(digest_call(writer.call_dir, library()), demo_case(cases), library())
    lines = {line.split(":")[0]: line for line in note.splitlines() if line.startswith("- ")}
    assert "confirmed by the clinician" in lines["- Reference number"]
    name = lines["- Reviewer's name"]
    assert "Carolyn Field" in name and "**heard, not confirmed**" in name and "40% sure" in name
    timeline = lines["- When the written determination comes"]
    assert "72 hours" in timeline and "also heard “24 hours”" in timeline
    assert "**not heard — unconfirmed**" in lines["- Criteria set and version"]
