"""A transcript a crash, a bad disk or a hand edit damaged: every after-call command skips the
damaged lines, says how many and where, and still gives everything else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CASE, Cli, copy_cases, no_traceback, one_line_error
from report_support import OBJECTION, write_call

pytestmark = pytest.mark.bad_input

GOOD = {"kind": "utterance", "t": "2026-11-23T10:00:30+00:00", "end": 31.0, "text": "fine line"}

T = '"t":"2026-11-23T10:00:30+00:00"'


def raw(kind: str, rest: str) -> bytes:
    """A record line with raw JSON after its kind and time, so non-JSON numbers can be written."""
    return f'{{"kind":"{kind}",{T},{rest}}}'.encode()


HOSTILE_LINES = {
    "a start of NaN": raw("utterance", '"start":NaN,"end":1,"text":"x"'),
    "a start of Infinity": raw("utterance", '"start":Infinity,"end":1,"text":"x"'),
    "a start of -Infinity": raw("utterance", '"start":-Infinity,"end":1,"text":"x"'),
    "a start of 1e308": raw("utterance", '"start":1e308,"end":1e308,"text":"x"'),
    "a bookmark at 1e308": raw("bookmark", '"stream_time":1e308'),
    "a note at NaN": raw("note", '"text":"n","stream_time":NaN'),
    "a word timed at NaN": raw("utterance", '"start":1,"end":2,"text":"x","words":[["x",NaN,1,1]]'),
    "an objection scored NaN": raw(
        "utterance",
        '"start":1,"end":2,"text":"x","objections":[{"id":"a","score":NaN,"span":[0,1]}]',
    ),
    "100,000 nested arrays": b'{"kind":"utterance","text":'
    + b"[" * 100_000
    + b"]" * 100_000
    + b"}",
    "invalid UTF-8": raw("note", '"text":"BAD"').replace(b"BAD", b"\xff\xfe"),
    "a line cut short by a crash": raw("utterance", '"start":1')[:-12],
    "NUL bytes": b"\x00" * 64,
    "a time with no offset": b'{"kind":"note","t":"2026-11-23T10:00:30","text":"n"}',
    "an unknown kind": raw("telepathy", '"text":"x"'),
}


@pytest.fixture(params=list(HOSTILE_LINES), ids=list(HOSTILE_LINES))
def damaged_call(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, Path]:
    """A saved call with one hostile line between good ones; returns (cases, call folder)."""
    cases = copy_cases(tmp_path)
    call_dir = write_call(cases).call_dir
    with (call_dir / "transcript.jsonl").open("ab") as transcript:
        transcript.write(HOSTILE_LINES[request.param] + b"\n")
        transcript.write(json.dumps({**GOOD, "start": 30.0}).encode() + b"\n")
    return cases, call_dir


@pytest.mark.parametrize("format", ["txt", "srt", "json", "md"])
def test_export_skips_the_damaged_line_and_keeps_the_rest(
    cli: Cli, damaged_call: tuple[Path, Path], format: str
) -> None:
    cases, call_dir = damaged_call
    ran = cli("--cases", cases, "export", CASE, "latest", "--format", format)
    no_traceback(ran)
    assert ran.code == 0
    assert "twelve weeks first" in ran.out and "fine line" in ran.out
    (problem,) = ran.err.splitlines()
    assert "transcript.jsonl line 8: damaged, skipped" in problem and call_dir.name in problem
    if format == "json":
        json.loads(ran.out)  # still strict JSON: no NaN or Infinity slipped through


def test_search_still_finds_the_rest(cli: Cli, damaged_call: tuple[Path, Path]) -> None:
    cases, _ = damaged_call
    ran = cli("--cases", cases, "search", "fine line")
    no_traceback(ran)
    assert ran.code == 0 and "fine line" in ran.out


def test_note_is_written_from_the_rest(cli: Cli, damaged_call: tuple[Path, Path]) -> None:
    cases, call_dir = damaged_call
    ran = cli("--cases", cases, "note", CASE)
    no_traceback(ran)
    note = (call_dir / "note.md").read_text()
    assert "twelve weeks first" in note  # the objection, quoted in the reviewer's words


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        (lambda call: (call / "call.json").write_bytes(b"{" * 100_000), "call.json"),
        (lambda call: (call / "call.json").write_bytes(b"\xff" * 10), "call.json"),
        (lambda call: (call / "call.json").unlink(), "call.json"),
    ],
    ids=["nested call.json", "binary call.json", "no call.json"],
)
def test_markdown_needs_call_json_and_says_so(
    cli: Cli, tmp_path: Path, damage: object, named: str
) -> None:
    cases = copy_cases(tmp_path)
    call_dir = write_call(cases).call_dir
    damage(call_dir)  # type: ignore[operator]
    one_line_error(cli("--cases", cases, "export", CASE, "latest", "--format", "md"), named)
    text = cli("--cases", cases, "export", CASE, "latest", "--format", "txt")
    assert text.code == 0 and OBJECTION in text.out


def test_a_transcript_that_is_a_folder(cli: Cli, tmp_path: Path) -> None:
    cases = copy_cases(tmp_path)
    call_dir = write_call(cases).call_dir
    (call_dir / "transcript.jsonl").unlink()
    (call_dir / "transcript.jsonl").mkdir()
    ran = cli("--cases", cases, "export", CASE, "latest", "--format", "txt")
    no_traceback(ran)
    assert "transcript.jsonl: cannot read" in ran.err
    assert cli("--cases", cases, "search", "anything").code == 1


@pytest.mark.parametrize("name", ["../../..", "/etc", "..", ".", "x" * 300, "latest/../.."])
def test_a_call_name_is_a_name_never_a_path(cli: Cli, tmp_path: Path, name: str) -> None:
    cases = copy_cases(tmp_path)
    write_call(cases)
    one_line_error(cli("--cases", cases, "export", CASE, name, "--format", "txt"), "no call named")
    one_line_error(cli("--cases", cases, "note", CASE, name), "no call named")
