"""Corrections made while reviewing a call, applied the one way: saved as records of their
own (the transcript is never rewritten), then the note rebuilt from the corrected call —
unless it is signed, which is final.

Used by the review screen in a worker thread; headless, so it is tested without a screen.
"""

from __future__ import annotations

from pathlib import Path

from p2p_assist.basics.errors import file_error
from p2p_assist.basics.vocabulary import Speaker
from p2p_assist.cases.model import Case
from p2p_assist.library.load import Library
from p2p_assist.report.after_call import Reports, write_reports
from p2p_assist.transcript.corrections import (
    CORRECTIONS_JSONL,
    Correction,
    LineFixed,
    ObjectionVerdict,
    ValueSettled,
    append_correction,
)
from p2p_assist.transcript.records import Utterance

SPEAKER_CYCLE: tuple[Speaker | None, ...] = ("reviewer", "clinician", None)


def fix_words(line: Utterance, text: str) -> LineFixed:
    return LineFixed(line_t=line.t, text=" ".join(text.split()))


def next_speaker(line: Utterance) -> LineFixed:
    """The next label in reviewer → clinician → unknown → reviewer."""
    index = SPEAKER_CYCLE.index(line.speaker) if line.speaker in SPEAKER_CYCLE else -1
    speaker = SPEAKER_CYCLE[(index + 1) % len(SPEAKER_CYCLE)]
    return LineFixed(line_t=line.t, speaker=speaker, speaker_unknown=speaker is None)


def judge(objection_id: str, made: bool) -> ObjectionVerdict:
    return ObjectionVerdict(objection_id=objection_id, verdict="confirmed" if made else "rejected")


def settle(field: str, value: str, heard: bool) -> ValueSettled:
    """`heard`: the value heard is confirmed as it is; otherwise it was typed as a fix."""
    return ValueSettled(field=field, value=value, how="confirmed" if heard else "fixed")


def apply_correction(
    call_dir: Path, correction: Correction, case: Case | None, library: Library
) -> Reports:
    """Save the correction, then write the note again from the corrected call."""
    try:
        append_correction(call_dir, correction)
    except OSError as error:
        raise file_error(
            call_dir / CORRECTIONS_JSONL,
            f"cannot save the correction ({error.strerror or error})",
            "free some space or make the folder writable; nothing else was changed",
        ) from error
    return write_reports(call_dir, case, library)
