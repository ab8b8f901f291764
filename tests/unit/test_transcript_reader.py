"""read_call and list_calls: what a crash or a careless copy leaves is reported, not fatal."""

from __future__ import annotations

from pathlib import Path

import pytest
from transcript_support import CASE_ID, make_cases, utterance

from p2p_assist.basics.errors import UserError
from p2p_assist.transcript import open_new_call, read_call


def ended_call(tmp_path: Path, lines: int = 3) -> Path:
    with open_new_call(make_cases(tmp_path), CASE_ID, "live", "vosk", "microphone") as writer:
        for number in range(1, lines + 1):
            writer.append(utterance(number))
    return writer.call_dir


def texts(call_dir: Path) -> list[str]:
    return [getattr(record, "text", "") for record in read_call(call_dir).records]


def test_a_clean_call_has_no_problems(tmp_path: Path) -> None:
    call = read_call(ended_call(tmp_path))
    assert call.problems == []
    assert call.meta is not None and len(call.records) == 3


def test_a_damaged_line_is_skipped_and_the_rest_kept(tmp_path: Path) -> None:
    call_dir = ended_call(tmp_path)
    jsonl = call_dir / "transcript.jsonl"
    lines = jsonl.read_bytes().splitlines(keepends=True)
    jsonl.write_bytes(lines[0] + b'{"kind": "utterance", "te\xff\n' + lines[1] + lines[2])
    assert read_call(call_dir).problems == ["transcript.jsonl line 2: damaged, skipped"]
    assert texts(call_dir) == ["line 1", "line 2", "line 3"]


def test_a_truncated_last_line_is_skipped(tmp_path: Path) -> None:
    call_dir = ended_call(tmp_path)
    jsonl = call_dir / "transcript.jsonl"
    jsonl.write_bytes(jsonl.read_bytes()[:-20])
    assert read_call(call_dir).problems == ["transcript.jsonl line 3: damaged, skipped"]
    assert texts(call_dir) == ["line 1", "line 2"]


def test_a_line_of_an_unknown_kind_counts_as_damaged(tmp_path: Path) -> None:
    call_dir = ended_call(tmp_path, lines=1)
    with (call_dir / "transcript.jsonl").open("ab") as jsonl:
        jsonl.write(b'{"kind": "laser", "t": "2026-11-23T14:05:09+01:00"}\n')
    assert read_call(call_dir).problems == ["transcript.jsonl line 2: damaged, skipped"]


def test_a_missing_call_json_still_returns_the_transcript(tmp_path: Path) -> None:
    call_dir = ended_call(tmp_path)
    (call_dir / "call.json").unlink()
    call = read_call(call_dir)
    assert call.meta is None
    assert call.problems == ["call.json: missing"]
    assert len(call.records) == 3


def test_a_damaged_call_json_is_reported(tmp_path: Path) -> None:
    call_dir = ended_call(tmp_path)
    (call_dir / "call.json").write_text('{"case_id": ')
    assert read_call(call_dir).problems == ["call.json: damaged, ignored"]


def test_a_missing_transcript_md_of_an_ended_call_is_reported(tmp_path: Path) -> None:
    call_dir = ended_call(tmp_path)
    (call_dir / "transcript.md").unlink()
    call = read_call(call_dir)
    assert call.problems == ["transcript.md: missing"]
    assert len(call.records) == 3


def test_a_call_in_progress_has_no_transcript_md_yet_and_that_is_fine(tmp_path: Path) -> None:
    with open_new_call(make_cases(tmp_path), CASE_ID, "live", "vosk", "microphone") as writer:
        writer.append(utterance(1))
        assert read_call(writer.call_dir).problems == []


def test_a_missing_call_folder_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="call folder not found"):
        read_call(tmp_path / "nowhere")
