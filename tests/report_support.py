"""Shared by the after-call tests: a real demo case and a small call written by the real
writer, with objections, captures, a note, a bookmark and a hand correction."""

from __future__ import annotations

import json
import re
from pathlib import Path

from demo_cases import copy_demo_cases

from p2p_assist.basics.formatting import clock
from p2p_assist.basics.vocabulary import CallKind
from p2p_assist.cases.model import Case
from p2p_assist.cases.store import load_case
from p2p_assist.library.load import Library, load_library
from p2p_assist.report.call_view import call_heading, open_call
from p2p_assist.transcript import (
    Bookmark,
    CaptureEdit,
    Note,
    Outcome,
    SavedCapture,
    SavedObjection,
    TranscriptWriter,
    Utterance,
    open_new_call,
    read_call,
)
from p2p_assist.transcript.export import EXPORTERS

CASE = "demo-ra-biologic"
LIBRARY = load_library()

OBJECTION = "she has to try the preferred biosimilar for twelve weeks first"
ANSWER = "she cannot take it because she had optic neuritis in twenty twenty one"


def copy_case(tmp_path: Path, case_id: str = CASE) -> Path:
    return copy_demo_cases(tmp_path, case_id)


def demo_case(cases: Path, case_id: str = CASE) -> Case:
    return load_case(cases, case_id)


def library() -> Library:
    return LIBRARY


def write_call(
    cases: Path,
    kind: CallKind = "live",
    outcome: Outcome | None = None,
    close: bool = True,
) -> TranscriptWriter:
    writer = open_new_call(cases, CASE, kind, "pocketsphinx", "test")
    writer.append(
        Utterance(
            start=3.0,
            end=6.0,
            speaker="reviewer",
            text="hello this is doctor mark stevens i am a rheumatologist",
            captures=[
                SavedCapture(field="reviewer_name", value="mark stevens"),
                SavedCapture(field="reviewer_specialty", value="rheumatology"),
            ],
        )
    )
    writer.append(
        Utterance(
            start=65.0,
            end=70.0,
            speaker="reviewer",
            text=OBJECTION,
            objections=[SavedObjection(id="step_therapy", score=91.0, span=(12, 20))],
        )
    )
    writer.append(Utterance(start=71.0, end=76.0, speaker="clinician", text=ANSWER))
    writer.append(Note(text="reviewer wants the TB result"))
    writer.append(Bookmark(stream_time=80.0, label="criteria named"))
    writer.append(
        Utterance(
            start=130.0,
            end=134.0,
            speaker="reviewer",
            text="again she has not tried the preferred drug",
            objections=[SavedObjection(id="step_therapy", score=88.0, span=(0, 5))],
        )
    )
    writer.append(CaptureEdit(field="reference_number", value="PA-55"))
    if outcome is not None:
        writer.set_outcome(outcome)
    if close:
        writer.close()
    return writer


def durations_shown(call_dir: Path) -> dict[str, str | None]:
    """The call's length (mm:ss) as each file made from it shows it: note.md and score.json
    (written after the call), transcript.md, the md and json exports, and review's heading."""
    call = read_call(call_dir)
    texts = {
        "note.md": ("duration", (call_dir / "note.md").read_text()),
        "transcript.md": ("Duration:", (call_dir / "transcript.md").read_text()),
        "export md": ("Duration:", EXPORTERS["md"](call)),
        "review": (" ·", call_heading(open_call(call_dir, LIBRARY).digest)),
    }
    shown: dict[str, str | None] = {}
    for name, (before, text) in texts.items():
        match = re.search(rf"{before} (\d\d:\d\d)", text)
        shown[name] = match[1] if match else None
    shown["export json"] = clock(json.loads(EXPORTERS["json"](call))["duration_seconds"])
    shown["score.json"] = clock(json.loads((call_dir / "score.json").read_text())["duration"])
    return shown
