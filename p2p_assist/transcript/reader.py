"""Reading call folders back, forgiving of what a crash or a careless copy leaves behind.

A damaged line or a missing file is reported in `problems` and everything else is still
returned: a clinician needs what the call did record, even if part of it is lost.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from p2p_assist.basics.errors import file_error
from p2p_assist.transcript.layout import (
    CALL_JSON,
    TRANSCRIPT_JSONL,
    TRANSCRIPT_MD,
    calls_dir,
    existing_call_dir,
    stamp_order,
)
from p2p_assist.transcript.records import CallMeta, Record, parse_record


@dataclass(frozen=True, slots=True)
class CallRecord:
    meta: CallMeta | None
    records: list[Record]
    problems: list[str]


def load_meta(call_dir: Path) -> CallMeta:
    """call.json, strictly: raises OSError or pydantic.ValidationError."""
    return CallMeta.model_validate_json((call_dir / CALL_JSON).read_bytes())


def _read_meta(call_dir: Path, problems: list[str]) -> CallMeta | None:
    try:
        return load_meta(call_dir)
    except FileNotFoundError:
        problems.append(f"{CALL_JSON}: missing")
    except ValidationError:
        problems.append(f"{CALL_JSON}: damaged, ignored")
    except OSError as error:
        problems.append(f"{CALL_JSON}: cannot read ({error.strerror})")
    return None


def _read_records(call_dir: Path, problems: list[str]) -> list[Record]:
    try:
        data = (call_dir / TRANSCRIPT_JSONL).read_bytes()
    except FileNotFoundError:
        problems.append(f"{TRANSCRIPT_JSONL}: missing")
        return []
    except OSError as error:
        problems.append(f"{TRANSCRIPT_JSONL}: cannot read ({error.strerror})")
        return []
    records: list[Record] = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            records.append(parse_record(line))
        except ValidationError:
            problems.append(f"{TRANSCRIPT_JSONL} line {number}: damaged, skipped")
    return records


def read_call(call_dir: Path) -> CallRecord:
    existing_call_dir(call_dir)
    problems: list[str] = []
    meta = _read_meta(call_dir, problems)
    records = _read_records(call_dir, problems)
    # transcript.md is only written when a call ends, so a live call has none yet.
    finished = meta is None or meta.status != "in_progress"
    if finished and not (call_dir / TRANSCRIPT_MD).is_file():
        problems.append(f"{TRANSCRIPT_MD}: missing")
    return CallRecord(meta, records, problems)


def list_calls(cases_dir: Path, case_id: str) -> list[Path]:
    """The case's call folders, newest first; [] if it has none yet."""
    calls = calls_dir(cases_dir, case_id)
    try:
        if not calls.is_dir():
            return []
        # scandir knows which entries are folders without a stat each: search lists every call.
        with os.scandir(calls) as entries:
            found = [calls / e.name for e in entries if not e.name.startswith(".") and e.is_dir()]
    except OSError as error:
        raise file_error(
            calls, f"cannot list the calls ({error.strerror})", "check the folder's permissions"
        ) from None
    return sorted(found, key=stamp_order, reverse=True)


NAMES_SHOWN = 10


def find_call(cases_dir: Path, case_id: str, name: str | None) -> Path:
    """A call folder by its name (never a path), or the newest for None or "latest"."""
    calls = list_calls(cases_dir, case_id)
    if not calls:
        raise file_error(
            calls_dir(cases_dir, case_id),
            "this case has no saved calls",
            f"record one with: p2p-assist practice {case_id}, or p2p-assist call {case_id}",
        )
    if name in (None, "latest"):
        return calls[0]
    for call_dir in calls:
        if call_dir.name == name:
            return call_dir
    shown = ", ".join(call.name for call in calls[:NAMES_SHOWN])
    more = f" and {len(calls) - NAMES_SHOWN} older" if len(calls) > NAMES_SHOWN else ""
    raise file_error(
        calls_dir(cases_dir, case_id),
        f"no call named {name!r}",
        f"use latest or one of: {shown}{more}",
    )
