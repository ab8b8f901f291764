"""Bad arguments and bad streams for every command: one line back, never a traceback, never a
hang, and nothing made outside the cases folder."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CASE, Cli, Ran, copy_cases, no_traceback, one_line_error, snapshot
from report_support import write_call

from p2p_assist.cli.main import main

pytestmark = pytest.mark.bad_input

STEP_LINE = "Has she tried the preferred biosimilar first?"


def finishes(run: Callable[[], Ran], unblock: Callable[[], None] | None = None) -> Ran:
    """Run `run` in a thread and give it a generous while: a hang fails the test (and
    `unblock` frees the thread) instead of stalling the suite. Not a timing assert."""
    result: list[Ran] = []
    worker = threading.Thread(target=lambda: result.append(run()), daemon=True)
    worker.start()
    worker.join(60)
    if not result and unblock is not None:
        unblock()
        worker.join(10)
        pytest.fail("hung")
    assert result, "hung"
    return result[0]


# --- case ids ----------------------------------------------------------------------------------

BAD_IDS = ["a" * 300, "../outside", "/etc", "..", ".", "a/b", "nul\x00byte", " "]
COMMANDS = [
    ("case", "check", "{id}"),
    ("case", "new", "{id}"),
    ("brief", "{id}"),
    ("note", "{id}"),
    ("export", "{id}", "latest", "--format", "txt"),
    ("review", "{id}"),
    ("search", "anything", "--case", "{id}"),
    ("practice", "{id}"),
    ("practice", "{id}", "--history", "--plain"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c[:2]) for c in COMMANDS])
@pytest.mark.parametrize(
    "case_id", BAD_IDS, ids=["300 characters", "../", "absolute", "..", ".", "a/b", "NUL", "blank"]
)
def test_a_bad_case_id_is_one_line_and_makes_nothing(
    cli: Cli, tmp_path: Path, command: tuple[str, ...], case_id: str
) -> None:
    cases = copy_cases(tmp_path)
    before = snapshot(tmp_path)
    ran = cli("--cases", cases, *(part.format(id=case_id) for part in command))
    one_line_error(ran)
    assert snapshot(tmp_path) == before
    assert not (tmp_path / "outside").exists()


# --- practice ----------------------------------------------------------------------------------


@pytest.mark.parametrize("speed", ["0", "-1", "nan", "1e-300", "inf", "1e308", "fast"])
def test_practice_refuses_a_speed_it_cannot_play(cli: Cli, cases: Path, speed: str) -> None:
    one_line_error(cli("--cases", cases, "practice", CASE, f"--speed={speed}"), "--speed", speed)


def test_practice_without_a_recording_says_how_to_make_one(cli: Cli, cases: Path) -> None:
    one_line_error(cli("--cases", cases, "practice", CASE), "mock-call.wav", "mock render")


# --- match -------------------------------------------------------------------------------------


def test_match_answers_the_lines_before_a_bad_byte(cli: Cli) -> None:
    ran = cli(
        "match", stdin=f"{STEP_LINE}\nhow was your weekend\n\xff\xfe oops\nlast\n".encode("latin-1")
    )
    assert ran.code == 2 and "Traceback" not in ran.err
    assert [line.split('"text": ')[1][:12] for line in ran.out.splitlines()] == [
        '"Has she tri',
        '"how was you',
    ]
    assert "line 3" in ran.err and "UTF-8" in ran.err


def test_match_with_stdin_closed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", None)  # what Python gives a process started with <&-
    code = main(["match"])
    out, err = capsys.readouterr()
    one_line_error(Ran(code, out, err), "stdin is closed")


def test_match_with_nothing_on_stdin(cli: Cli) -> None:
    ran = cli("match", stdin=b"")
    assert (ran.code, ran.out, ran.err) == (0, "", "")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\r",
        "\x00" * 100,
        "é" * 10_000,
        "word " * 200_000,
        "[/] [bold]markup[/bold]",
        "🙂" * 1000,
    ],
    ids=["empty", "a lone CR", "NULs", "10k accents", "a megabyte", "markup", "emoji"],
)
def test_match_takes_any_text_line(cli: Cli, text: str) -> None:
    ran = finishes(lambda: cli("match", stdin=(text + "\n").encode()))
    assert ran.err == ""  # no library pattern switched off by a long line either
    assert ran.code == 0 and len(ran.out.splitlines()) == 1


# --- transcribe --------------------------------------------------------------------------------


def test_transcribe_refuses_a_fifo_instead_of_waiting_on_it(cli: Cli, tmp_path: Path) -> None:
    fifo = tmp_path / "call.wav"
    os.mkfifo(fifo)

    def unblock() -> None:  # if open() did block, a writer lets it go
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    ran = finishes(lambda: cli("transcribe", fifo), unblock)
    one_line_error(ran, "call.wav", "not a regular file")


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda path: path.mkdir(), "directory"),
        (lambda path: path.write_bytes(b""), "empty"),
        (lambda path: path.write_text("not audio at all\n"), "not"),
        (lambda path: path.write_bytes(b"RIFF\xff\xff\xff\xffWAVEfmt "), ""),
        (lambda path: None, "no such file"),
    ],
    ids=["a folder", "empty", "text", "a header cut short", "missing"],
)
def test_transcribe_refuses_what_is_not_a_recording(
    cli: Cli, tmp_path: Path, make: Callable[[Path], object], problem: str
) -> None:
    audio = tmp_path / "call.wav"
    make(audio)
    one_line_error(cli("transcribe", audio), "call.wav", problem)


def test_transcribe_refuses_a_device(cli: Cli) -> None:
    one_line_error(cli("transcribe", "/dev/zero"), "/dev/zero", "not a regular file")


# --- model -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "named"),
    [
        ("http://[::1", "not a valid URL"),
        ("http://", "download failed"),
        ("/no/such/model.zip", "no such file or folder"),
    ],
)
def test_model_install_from_a_bad_source(cli: Cli, tmp_path: Path, source: str, named: str) -> None:
    ran = cli("model", "install", "--from", source, "--dest", tmp_path / "models")
    one_line_error(ran, named)
    assert list((tmp_path / "models").iterdir()) == []


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (b"", "not a zip archive"),
        (b"PK\x03\x04" + b"\0" * 100, "not a zip archive"),
        (None, "no Vosk model inside"),
    ],
    ids=["empty", "a zip cut short", "a zip of nothing"],
)
def test_model_install_from_a_bad_archive(
    cli: Cli, tmp_path: Path, content: bytes | None, named: str
) -> None:
    archive = tmp_path / "model.zip"
    if content is None:
        with zipfile.ZipFile(archive, "w") as zipped:
            zipped.writestr("readme.txt", "no model here")
    else:
        archive.write_bytes(content)
    ran = cli("model", "install", "--from", archive, "--dest", tmp_path / "models")
    one_line_error(ran, "model.zip", named)
    assert list((tmp_path / "models").iterdir()) == []


def test_model_status_on_a_folder_that_is_no_model(cli: Cli, tmp_path: Path) -> None:
    ran = cli("model", "status", "--model", tmp_path)
    no_traceback(ran)
    assert ran.code == 1 and "not a Vosk model" in ran.out


# --- search, export, brief, mock ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["search", "x" * 100_000], "give a few words"),
        (["search", "   "], "no letters or digits"),
        (["search", "x", "--limit", "0"], "--limit"),
        (["search", "x", "--limit", "-5"], "--limit"),
        (["search", "x", "--limit", "1e9"], "--limit"),
        (["export", CASE, "latest", "--format", "pdf"], "--format"),
        (["brief", CASE, "--today", "tomorrow"], "--today"),
        (["case", "check", CASE, "--today", "2026-02-30"], "--today"),
    ],
)
def test_bad_options(cli: Cli, cases: Path, args: list[str], named: str) -> None:
    write_call(cases)
    one_line_error(cli("--cases", cases, *args), named)


@pytest.mark.parametrize("today", ["0001-01-01", "9999-12-31"])
def test_the_widest_today_still_gives_a_window(cli: Cli, cases: Path, today: str) -> None:
    for command in (["case", "check", CASE], ["brief", CASE], ["case", "list"]):
        ran = cli("--cases", cases, *command, "--today", today)
        no_traceback(ran)
        assert ran.code == 0 and ("P2P window" in ran.out or "after today" in ran.out)


@pytest.mark.parametrize(
    ("make", "named"),
    [
        (lambda path: None, "no such file"),
        (lambda path: path.mkdir(), "Is a directory"),
        (lambda path: path.write_text("turns = [[[["), "invalid TOML"),
        (lambda path: path.write_text('title = "x"\n'), "turns"),
    ],
    ids=["missing", "a folder", "broken TOML", "no turns"],
)
def test_mock_render_of_a_bad_script(
    cli: Cli, tmp_path: Path, make: Callable[[Path], object], named: str
) -> None:
    script = tmp_path / "mock-call.toml"
    make(script)
    one_line_error(cli("mock", "render", script, "-o", tmp_path / "out.wav"), named)
    assert not (tmp_path / "out.wav").exists()


def test_mock_render_into_a_folder_is_refused_before_rendering(cli: Cli, cases: Path) -> None:
    folder = cases / "renders"
    folder.mkdir()
    ran = cli("mock", "render", cases / CASE / "mock-call.toml", "-o", folder)
    one_line_error(ran, "renders", "is a folder")
    assert list(folder.iterdir()) == [] and not (cases / "renders.partial").exists()


def test_devices_never_tracebacks(cli: Cli) -> None:
    ran = cli("devices")
    no_traceback(ran)
    assert ran.code == 0 or ran.err.count("\n") == 1


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [
        ["match"],
        ["case", "list"],
        ["--cases", "{cases}", "export", CASE, "latest", "--format", "txt"],
    ],
    ids=["match", "case list", "export"],
)
def test_a_reader_that_goes_away_is_not_an_error(tmp_path: Path, command: list[str]) -> None:
    """`… | head`: the pipe closes under us; no BrokenPipeError noise, exit 0."""
    cases = copy_cases(tmp_path)
    write_call(cases)
    argv = [sys.executable, "-m", "p2p_assist", "--cases", str(cases)]
    argv += [part.format(cases=cases) for part in command]
    process = subprocess.Popen(
        argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stdin is not None
    process.stdout.close()  # the reader is gone before the first line is written
    _, err = process.communicate((STEP_LINE + "\n").encode() * 2000, timeout=120)
    assert err.decode() == "" and process.returncode == 0


@pytest.mark.parametrize(
    ("make", "named"),
    [
        (lambda path: path.write_text("a file, not a folder"), "Not a directory"),
        (lambda path: path.symlink_to(path.parent / "gone"), "which does not exist"),
    ],
    ids=["a file", "a dangling link"],
)
def test_case_new_where_the_cases_folder_cannot_be(
    cli: Cli, tmp_path: Path, make: Callable[[Path], object], named: str
) -> None:
    cases = tmp_path / "cases"
    make(cases)
    one_line_error(cli("--cases", cases, "case", "new", "fresh"), str(cases), named)
    assert not (tmp_path / "gone").exists()
