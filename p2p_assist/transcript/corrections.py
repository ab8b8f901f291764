"""What the clinician corrected when reviewing a call: corrections.jsonl beside the transcript.

The transcript is the record of what was heard and is never rewritten; each correction is a
record of its own (a line's words or speaker, an objection confirmed or rejected, a value
confirmed or fixed), appended and fsync'ed like the transcript, so a kill mid-review loses at
most the correction being written. Later corrections of the same thing win.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, TypeAdapter, ValidationError

from p2p_assist.basics.durable import append_durably, open_private
from p2p_assist.basics.strict import Strict
from p2p_assist.basics.vocabulary import Speaker
from p2p_assist.transcript.records import now

CORRECTIONS_JSONL = "corrections.jsonl"


class LineFixed(Strict):
    """A transcript line's words or speaker, as the clinician says they were."""

    kind: Literal["line"] = "line"
    t: AwareDatetime = Field(default_factory=now)
    line_t: AwareDatetime = Field(description="the utterance's own `t`: which line this fixes")
    text: str | None = None
    speaker: Speaker | None = None
    speaker_unknown: bool = Field(default=False, description="the speaker is not known")


class ObjectionVerdict(Strict):
    """The clinician's word on an objection the call raised: it was made, or it was not."""

    kind: Literal["objection"] = "objection"
    t: AwareDatetime = Field(default_factory=now)
    objection_id: str
    verdict: Literal["confirmed", "rejected"]


class ValueSettled(Strict):
    """A documentation value confirmed as heard, or fixed, in review."""

    kind: Literal["value"] = "value"
    t: AwareDatetime = Field(default_factory=now)
    field: str
    value: str
    how: Literal["confirmed", "fixed"]


Correction = Annotated[LineFixed | ObjectionVerdict | ValueSettled, Field(discriminator="kind")]
_CORRECTION: TypeAdapter[Correction] = TypeAdapter(Correction)


def append_correction(call_dir: Path, correction: Correction) -> None:
    """Durable the moment it returns; raises OSError when the folder cannot be written."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
    fd = open_private(call_dir / CORRECTIONS_JSONL, flags)
    try:
        append_durably(fd, correction.model_dump_json().encode() + b"\n")
    finally:
        os.close(fd)


def read_corrections(call_dir: Path) -> tuple[list[Correction], list[str]]:
    """The corrections in order, and a problem line for each one that cannot be read."""
    try:
        data = (call_dir / CORRECTIONS_JSONL).read_bytes()
    except FileNotFoundError:
        return [], []
    except OSError as error:
        return [], [f"{CORRECTIONS_JSONL}: cannot read ({error.strerror})"]
    corrections: list[Correction] = []
    problems: list[str] = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            corrections.append(_CORRECTION.validate_json(line))
        except ValidationError:
            problems.append(f"{CORRECTIONS_JSONL} line {number}: damaged, skipped")
    return corrections, problems


def latest_line_fixes(corrections: list[Correction]) -> dict[dt.datetime, LineFixed]:
    """Per line (by its `t`): the words and speaker as last corrected, merged."""
    fixes: dict[dt.datetime, LineFixed] = {}
    for correction in corrections:
        if not isinstance(correction, LineFixed):
            continue
        held = fixes.get(correction.line_t)
        if held is None:
            fixes[correction.line_t] = correction
            continue
        fixes[correction.line_t] = held.model_copy(
            update={
                "text": correction.text if correction.text is not None else held.text,
                "speaker": correction.speaker
                if correction.speaker is not None or correction.speaker_unknown
                else held.speaker,
                "speaker_unknown": correction.speaker_unknown
                or (held.speaker_unknown and correction.speaker is None),
            }
        )
    return fixes
