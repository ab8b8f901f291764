"""TranscriptWriter: the call folder's layout, permissions, durable appends and closing."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from transcript_support import CASE_ID, line_count, make_cases, mode, utterance

from p2p_assist.basics.errors import UserError
from p2p_assist.transcript import (
    Bookmark,
    CaptureEdit,
    Note,
    Record,
    SavedObjection,
    Utterance,
    list_calls,
    open_new_call,
    read_call,
)
from p2p_assist.transcript.layout import create_call_dir


def test_a_call_gets_a_stamped_folder_under_the_case(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    with open_new_call(cases, CASE_ID, "live", "vosk", "microphone") as writer:
        assert writer.call_dir.parent == cases / CASE_ID / "calls"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d", writer.call_dir.name)


def test_folders_are_0700_and_files_0600_whatever_the_umask(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    previous = os.umask(0)
    try:
        writer = open_new_call(cases, CASE_ID, "live", "vosk", "microphone")
        writer.append(utterance(1))
        live_files = [
            writer.call_dir / name for name in ("call.json", "transcript.jsonl", "writer.lock")
        ]
        assert [mode(path) for path in live_files] == [0o600] * 3
        writer.close()
    finally:
        os.umask(previous)
    assert mode(cases / CASE_ID / "calls") == 0o700
    assert mode(writer.call_dir) == 0o700
    assert sorted(p.name for p in writer.call_dir.iterdir()) == [
        "call.json",
        "transcript.jsonl",
        "transcript.md",
    ]
    assert all(mode(path) == 0o600 for path in writer.call_dir.iterdir())


def test_each_append_is_on_disk_before_the_next(tmp_path: Path) -> None:
    with open_new_call(make_cases(tmp_path), CASE_ID, "live", "vosk", "microphone") as writer:
        jsonl = writer.call_dir / "transcript.jsonl"
        for number in range(1, 6):
            writer.append(utterance(number))
            assert line_count(jsonl) == number
            with jsonl.open("rb") as separate:
                last = separate.read().splitlines()[-1]
            assert json.loads(last)["text"] == f"line {number}"


def test_every_record_kind_reads_back_as_written(tmp_path: Path) -> None:
    written: list[Record] = [
        Utterance(
            start=1.0,
            end=2.5,
            speaker="clinician",
            text="she failed two agents",
            words=[("she", 1.0, 1.2, 0.9), ("failed", 1.2, 1.6, 0.8)],
            objections=[SavedObjection(id="step_therapy", score=0.8, span=(4, 10))],
        ),
        Note(text="ask for the medical director"),
        Bookmark(stream_time=3.0, label="reference number"),
        CaptureEdit(field="reference_number", value="PA-2231"),
    ]
    with open_new_call(make_cases(tmp_path), CASE_ID, "live", "vosk", "microphone") as writer:
        for record in written:
            writer.append(record)
    assert read_call(writer.call_dir).records == written


def test_call_json_is_in_progress_until_close_then_ended(tmp_path: Path) -> None:
    writer = open_new_call(make_cases(tmp_path), CASE_ID, "practice", "vosk", "demo.wav")
    meta = read_call(writer.call_dir).meta
    assert meta is not None
    assert (meta.status, meta.ended, meta.kind, meta.source) == (
        "in_progress",
        None,
        "practice",
        "demo.wav",
    )
    assert (meta.pid, meta.hostname) == (os.getpid(), socket.gethostname())
    assert meta.started.tzinfo is not None
    writer.close()
    meta = read_call(writer.call_dir).meta
    assert meta is not None
    assert meta.status == "ended"
    assert meta.ended is not None and meta.ended >= meta.started
    assert not (writer.call_dir / "writer.lock").exists()


def test_transcript_md_reads_as_a_transcript_with_objections_marked(tmp_path: Path) -> None:
    with open_new_call(make_cases(tmp_path), CASE_ID, "live", "vosk", "microphone") as writer:
        writer.append(
            Utterance(
                start=65.0,
                end=68.0,
                speaker="reviewer",
                text="has she tried step therapy",
                objections=[SavedObjection(id="step_therapy", score=0.9, span=(14, 26))],
            )
        )
        writer.append(Utterance(start=70.0, end=71.0, speaker=None, text="hello"))
    markdown = (writer.call_dir / "transcript.md").read_text()
    assert markdown.startswith(f"# Peer-to-peer call — case {CASE_ID}\n")
    assert "- Duration: " in markdown
    assert (
        "[01:05] Reviewer: has she tried **step therapy** _(objection: step_therapy)_" in markdown
    )
    assert "[01:10] Speaker: hello" in markdown


def test_a_missing_case_folder_is_a_user_error_naming_it(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    with pytest.raises(UserError, match=re.escape(str(cases / "nope"))):
        open_new_call(cases, "nope", "live", "vosk", "microphone")


def test_a_case_id_that_is_not_a_folder_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="not a folder name"):
        open_new_call(make_cases(tmp_path), "../demo", "live", "vosk", "microphone")


def test_calls_in_the_same_second_get_numbered_folders(tmp_path: Path) -> None:
    moment = dt.datetime(2026, 11, 23, 14, 5, 9).astimezone()
    names = [create_call_dir(tmp_path / "calls", moment).name for _ in range(3)]
    assert names == ["2026-11-23T14-05-09", "2026-11-23T14-05-09-2", "2026-11-23T14-05-09-3"]


def test_list_calls_is_newest_first_and_counts_suffixes_as_numbers(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    calls = cases / CASE_ID / "calls"
    for name in ("2026-11-23T14-05-09-9", "2026-11-22T10-00-00", "2026-11-23T14-05-09-10"):
        (calls / name).mkdir(parents=True)
    assert [path.name for path in list_calls(cases, CASE_ID)] == [
        "2026-11-23T14-05-09-10",
        "2026-11-23T14-05-09-9",
        "2026-11-22T10-00-00",
    ]


def test_a_case_without_calls_lists_none(tmp_path: Path) -> None:
    assert list_calls(make_cases(tmp_path), CASE_ID) == []


def test_the_store_runs_without_the_ui() -> None:
    code = "import sys, p2p_assist.transcript; print('textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
