"""export_* and `p2p-assist export`: one call as txt, SubRip, JSON or markdown, damage tolerated."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from transcript_support import CASE_ID, make_cases, mode

from p2p_assist.cli import export_cmd
from p2p_assist.cli.main import main
from p2p_assist.transcript import (
    Bookmark,
    CaptureEdit,
    Note,
    SavedObjection,
    Utterance,
    open_new_call,
    read_call,
)
from p2p_assist.transcript.export import (
    FORMATS,
    export_json,
    export_markdown,
    export_srt,
    export_text,
)

CUE_TIME = r"(\d\d):(\d\d):(\d\d),(\d\d\d)"


def record_call(cases: Path) -> Path:
    """Five records: both speakers and an unknown one, a note, a bookmark, a correction. Each
    is written when a real-time call would write it (`t`), except the last one."""
    with open_new_call(cases, CASE_ID, "live", "vosk", "microphone") as writer:
        started = writer.meta.started

        def at(seconds: float) -> dt.datetime:
            return started + dt.timedelta(seconds=seconds)

        writer.append(
            Utterance(
                t=at(6.9),
                start=3.2,
                end=6.9,
                speaker="reviewer",
                text="Has she tried\nthe preferred biosimilar?",
                objections=[SavedObjection(id="step_therapy", score=97.0, span=(8, 13))],
            )
        )
        writer.append(Utterance(t=at(7.5), start=7.5, end=7.5, speaker="clinician", text="Yes."))
        writer.append(Note(t=at(65), text="ask for the policy"))
        writer.append(Bookmark(t=at(3725.25), stream_time=3725.25, label="reference number"))
        writer.append(CaptureEdit(t=at(3730), field="ref", value="4729"))
        writer.append(Utterance(start=3726.0, end=3729.5, text="it is four seven two nine"))
    return writer.call_dir


def test_text_has_one_timed_line_per_record(tmp_path: Path) -> None:
    call = read_call(record_call(make_cases(tmp_path)))
    assert export_text(call).splitlines() == [
        "[00:03] Reviewer: Has she tried the preferred biosimilar?",
        "[00:07] Clinician: Yes.",
        "[01:05] Note: ask for the policy",
        "[62:05] Bookmark: reference number",
        "[62:10] Corrected ref: 4729",
        "[62:06] Speaker: it is four seven two nine",
    ]


def parse_srt(text: str) -> list[tuple[int, float, float, str]]:
    """Strict enough for the tools that read SubRip: number, times, one text line, blank line."""
    cues = []
    assert text.endswith("\n\n")
    for block in text[:-2].split("\n\n"):
        number, times, line = block.split("\n")
        match = re.fullmatch(f"{CUE_TIME} --> {CUE_TIME}", times)
        assert match is not None, times
        h1, m1, s1, ms1, h2, m2, s2, ms2 = (int(part) for part in match.groups())
        start = h1 * 3600 + m1 * 60 + s1 + ms1 / 1000
        end = h2 * 3600 + m2 * 60 + s2 + ms2 / 1000
        cues.append((int(number), start, end, line))
    return cues


def test_srt_parses_back_in_order_with_positive_durations(tmp_path: Path) -> None:
    cues = parse_srt(export_srt(read_call(record_call(make_cases(tmp_path)))))
    assert [number for number, *_ in cues] == [1, 2, 3]
    starts = [start for _, start, _, _ in cues]
    assert starts == sorted(starts)
    assert all(end > start for _, start, end, _ in cues)
    assert cues[0] == (1, 3.2, 6.9, "Reviewer: Has she tried the preferred biosimilar?")
    assert cues[1] == (2, 7.5, 8.0, "Clinician: Yes.")  # end == start: half a second
    assert cues[2] == (3, 3726.0, 3729.5, "Speaker: it is four seven two nine")


def test_srt_orders_cues_by_start_and_leaves_out_empty_text(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    with open_new_call(cases, CASE_ID, "live", "vosk", "microphone") as writer:
        writer.append(Utterance(start=9.0, end=10.0, speaker="reviewer", text="second"))
        writer.append(Utterance(start=2.0, end=3.0, speaker="clinician", text="first"))
        writer.append(Utterance(start=4.0, end=5.0, text="  "))
    cues = parse_srt(export_srt(read_call(writer.call_dir)))
    assert [(number, line) for number, _, _, line in cues] == [
        (1, "Clinician: first"),
        (2, "Reviewer: second"),
    ]


def test_json_round_trips_with_every_record(tmp_path: Path) -> None:
    call_dir = record_call(make_cases(tmp_path))
    document = json.loads(export_json(read_call(call_dir)))
    assert set(document) == {"meta", "duration_seconds", "records", "problems"}
    assert document["duration_seconds"] == 3729.5  # the last utterance's end: no audio was fed
    assert document["meta"]["stamp"] == call_dir.name and document["problems"] == []
    assert [record["kind"] for record in document["records"]] == [
        "utterance",
        "utterance",
        "note",
        "bookmark",
        "capture_edit",
        "utterance",
    ]
    assert document["records"][0]["objections"][0]["span"] == [8, 13]


def test_markdown_is_the_transcript_md_the_call_wrote(tmp_path: Path) -> None:
    call_dir = record_call(make_cases(tmp_path))
    assert export_markdown(read_call(call_dir)) == (call_dir / "transcript.md").read_text()


def test_a_record_without_audio_time_follows_the_one_before_it_even_without_call_json(
    tmp_path: Path,
) -> None:
    with open_new_call(make_cases(tmp_path), CASE_ID, "live", "vosk", "microphone") as writer:
        started = writer.meta.started
        first = Utterance(t=started + dt.timedelta(seconds=10), start=9.0, end=9.5, text="hello")
        writer.append(first)
        writer.append(Note(t=started + dt.timedelta(seconds=70), text="ask for the policy"))
    with_meta = export_text(read_call(writer.call_dir))
    (writer.call_dir / "call.json").unlink()
    call = read_call(writer.call_dir)
    # 9.5 s of audio when "hello" was written, then a minute by the wall clock.
    assert with_meta.splitlines()[1] == "[01:09] Note: ask for the policy"
    assert export_text(call).splitlines()[1] == "[01:09] Note: ask for the policy"
    assert json.loads(export_json(call))["meta"] is None
    with pytest.raises(ValueError, match=r"call\.json"):
        export_markdown(call)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_writes_each_format_to_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = make_cases(tmp_path)
    call_dir = record_call(cases)
    call = read_call(call_dir)
    expected = {
        "txt": export_text(call),
        "srt": export_srt(call),
        "json": export_json(call),
        "md": export_markdown(call),
    }
    for fmt, text in expected.items():
        code, out, err = run(
            ["--cases", str(cases), "export", CASE_ID, call_dir.name, "--format", fmt], capsys
        )
        assert (code, out, err) == (0, text, ""), fmt


def test_cli_format_choices_are_the_exporters() -> None:
    assert export_cmd.FORMATS == FORMATS


def test_cli_latest_is_the_newest_call(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = make_cases(tmp_path)
    record_call(cases)
    with open_new_call(cases, CASE_ID, "live", "vosk", "microphone") as writer:
        writer.append(Utterance(start=1.0, end=2.0, speaker="reviewer", text="the newest call"))
    code, out, _ = run(
        ["--cases", str(cases), "export", CASE_ID, "latest", "--format", "txt"], capsys
    )
    assert (code, out) == (0, "[00:01] Reviewer: the newest call\n")


def test_cli_output_file_is_owner_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = make_cases(tmp_path)
    call_dir = record_call(cases)
    target = tmp_path / "call.srt"
    target.write_text("an older export, readable by all")
    target.chmod(0o644)
    argv = ["--cases", str(cases), "export", CASE_ID, call_dir.name, "--format", "srt"]
    code, out, err = run([*argv, "-o", str(target)], capsys)
    assert (code, out, err) == (0, "", "")
    assert mode(target) == 0o600
    assert target.read_text() == export_srt(read_call(call_dir))


def test_cli_exports_what_it_can_and_names_damaged_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = make_cases(tmp_path)
    call_dir = record_call(cases)
    jsonl = call_dir / "transcript.jsonl"
    lines = jsonl.read_bytes().splitlines(keepends=True)
    jsonl.write_bytes(lines[0] + b'{"kind": "utter\n' + b"".join(lines[1:]))
    argv = ["--cases", str(cases), "export", CASE_ID, call_dir.name, "--format", "json"]
    code, out, err = run(argv, capsys)
    assert code == 0 and len(json.loads(out)["records"]) == 6
    assert json.loads(out)["problems"] == ["transcript.jsonl line 2: damaged, skipped"]
    assert len(err.splitlines()) == 1
    assert "transcript.jsonl line 2: damaged, skipped" in err and "exported the rest" in err


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ("2020-01-01T00-00-00", "no call named '2020-01-01T00-00-00' — use latest or one of: "),
        ("../../etc", "no call named '../../etc'"),
    ],
)
def test_cli_unknown_call_lists_the_calls(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], call: str, expected: str
) -> None:
    cases = make_cases(tmp_path)
    call_dir = record_call(cases)
    code, out, err = run(
        ["--cases", str(cases), "export", CASE_ID, call, "--format", "txt"], capsys
    )
    assert (code, out) == (2, "") and len(err.splitlines()) == 1
    assert expected in err and call_dir.name in err


@pytest.mark.parametrize(
    ("setup", "args", "expected"),
    [
        ("none", [CASE_ID, "latest", "--format", "txt"], "this case has no saved calls"),
        ("none", ["nobody", "latest", "--format", "txt"], "nobody: case folder not found"),
        ("no-meta", [CASE_ID, "latest", "--format", "md"], "call.json: missing or damaged"),
        ("call", [CASE_ID, "latest", "--format", "txt", "-o", "/nonexistent/x.txt"], "x.txt"),
    ],
)
def test_cli_errors_are_one_line_with_exit_code_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    setup: str,
    args: list[str],
    expected: str,
) -> None:
    cases = make_cases(tmp_path)
    if setup != "none":
        call_dir = record_call(cases)
    if setup == "no-meta":
        (call_dir / "call.json").unlink()
    code, out, err = run(["--cases", str(cases), "export", *args], capsys)
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and expected in err and "Traceback" not in err
