"""Folders and files the user may not read or write: one line naming the thing, and whatever can
still be read is still shown.

Run as the unprivileged user `nobody` when the suite runs as root (CI does), since root reads
and writes whatever the modes say.
"""

from __future__ import annotations

import os
import pwd
import shutil
from pathlib import Path

import pytest
from conftest import CASE, OTHER_CASE, REPO, as_user, copy_cases, no_traceback, one_line_error
from report_support import write_call

pytestmark = pytest.mark.fault


def give_away(root: Path) -> None:
    """Make `nobody` the owner of everything under root, so the modes the test sets are the
    ones that count (owner bits), as for a clinician's own files."""
    if os.geteuid() != 0:
        return
    nobody = pwd.getpwnam("nobody")
    for path in [root, *root.rglob("*")]:
        os.chown(path, nobody.pw_uid, nobody.pw_gid, follow_symlinks=False)


@pytest.fixture
def cases(open_tmp: Path) -> Path:
    """Both demo cases, each with a saved call, owned by the user the commands run as."""
    folder = copy_cases(open_tmp, CASE, OTHER_CASE)
    write_call(folder)
    (folder / OTHER_CASE / "calls").mkdir(mode=0o700)
    shutil.copytree(
        next((folder / CASE / "calls").iterdir()),
        folder / OTHER_CASE / "calls" / "2026-01-01T10-00-00",
    )
    give_away(open_tmp)
    return folder


def test_case_list_shows_an_unreadable_case_and_lists_the_others(cases: Path) -> None:
    (cases / CASE).chmod(0)
    ran = as_user(["--cases", str(cases), "case", "list"])
    no_traceback(ran)
    assert ran.code == 0
    listed = {line.split()[0]: line for line in ran.out.splitlines()}
    assert "INVALID" in listed[CASE] and "Permission denied" in listed[CASE]
    assert "P2P window" in listed[OTHER_CASE]


@pytest.mark.parametrize(
    "command",
    [["case", "list"], ["search", "biosimilar"], ["export", CASE, "latest", "--format", "txt"]],
    ids=["case list", "search", "export"],
)
def test_an_unreadable_cases_folder_is_one_line(cases: Path, command: list[str]) -> None:
    cases.chmod(0)
    one_line_error(as_user(["--cases", str(cases), *command]), str(cases), "Permission denied")


def test_search_skips_a_case_whose_calls_cannot_be_read_and_searches_the_rest(cases: Path) -> None:
    (cases / CASE / "calls").chmod(0)
    ran = as_user(["--cases", str(cases), "search", "biosimilar"])
    no_traceback(ran)
    assert ran.code == 0
    assert {line.split()[0] for line in ran.out.splitlines()} == {OTHER_CASE}
    # The first search also says it made the index; the case it could not read is one line.
    (skipped,) = [line for line in ran.err.splitlines() if "search index" not in line]
    assert "skipped" in skipped and f"{CASE}/calls" in skipped and "Permission denied" in skipped


def test_export_of_calls_that_cannot_be_read_is_one_line(cases: Path) -> None:
    (cases / CASE / "calls").chmod(0)
    ran = as_user(["--cases", str(cases), "export", CASE, "latest", "--format", "txt"])
    one_line_error(ran, f"{CASE}/calls", "Permission denied")


def test_an_unreadable_transcript_is_named_and_the_rest_exported(cases: Path) -> None:
    call_dir = next((cases / CASE / "calls").iterdir())
    (call_dir / "transcript.jsonl").chmod(0)
    ran = as_user(["--cases", str(cases), "export", CASE, "latest", "--format", "json"])
    no_traceback(ran)
    assert ran.code == 0 and "transcript.jsonl: cannot read (Permission denied)" in ran.err


@pytest.mark.parametrize("command", [["case", "check", CASE], ["brief", CASE]])
def test_an_unreadable_case_file_is_one_line(cases: Path, command: list[str]) -> None:
    (cases / CASE / "case.toml").chmod(0)
    one_line_error(as_user(["--cases", str(cases), *command]), "case.toml", "Permission denied")


def test_case_new_in_a_read_only_cases_folder(cases: Path) -> None:
    cases.chmod(0o500)
    ran = as_user(["--cases", str(cases), "case", "new", "fresh"])
    one_line_error(ran, "Permission denied", "--cases")
    assert not (cases / "fresh").exists()


@pytest.mark.parametrize(
    "command",
    [["brief", CASE], ["export", CASE, "latest", "--format", "txt"]],
    ids=["brief", "export"],
)
def test_output_into_a_read_only_folder(cases: Path, command: list[str]) -> None:
    out = cases.parent / "out"
    out.mkdir()
    give_away(out)
    out.chmod(0o500)
    ran = as_user(["--cases", str(cases), *command, "-o", str(out / "x.md")])
    one_line_error(ran, "x.md", "Permission denied")


def test_note_in_a_read_only_call_folder_keeps_what_is_there(cases: Path) -> None:
    call_dir = next((cases / CASE / "calls").iterdir())
    assert as_user(["--cases", str(cases), "note", CASE]).code == 0
    note = (call_dir / "note.md").read_bytes()
    (call_dir / "note.md").write_text(note.decode() + "\nMy own line.\n")  # edited: note-2.md next
    note = (call_dir / "note.md").read_bytes()
    call_dir.chmod(0o500)
    ran = as_user(["--cases", str(cases), "note", CASE])
    no_traceback(ran)
    assert ran.code == 1 and "Permission denied" in ran.err
    assert (call_dir / "note.md").read_bytes() == note


def test_match_with_a_cache_it_cannot_write(open_tmp: Path) -> None:
    prompts = open_tmp / "prompts"
    (prompts / "objections").mkdir(parents=True)
    shutil.copy(REPO / "prompts" / "objections" / "step_therapy.toml", prompts / "objections")
    (prompts / "negatives.toml").write_text('examples = ["how was your weekend"]\n')
    cache = open_tmp / "cache"
    cache.mkdir(mode=0o555)  # root's, read-only to everyone else
    ran = as_user(
        ["--prompts", str(prompts), "match"],
        env={"XDG_CACHE_HOME": str(cache)},
        stdin=b"Has she tried the preferred drug first?\n",
    )
    assert ran.code == 0 and "step_therapy" in ran.out, ran.err
    assert list(cache.iterdir()) == []


def test_an_unreadable_prompt_library_is_one_line(open_tmp: Path) -> None:
    prompts = open_tmp / "prompts"
    (prompts / "objections").mkdir(parents=True)
    shutil.copy(REPO / "prompts" / "objections" / "step_therapy.toml", prompts / "objections")
    (prompts / "objections" / "step_therapy.toml").chmod(0)
    ran = as_user(["--prompts", str(prompts), "match"], stdin=b"hello\n")
    one_line_error(ran, "step_therapy.toml", "Permission denied")


def test_mock_render_into_a_read_only_folder_leaves_nothing(cases: Path) -> None:
    out = cases.parent / "renders"
    out.mkdir()
    give_away(out)
    out.chmod(0o500)
    script = cases / CASE / "mock-call.toml"
    script.write_text(
        script.read_text().split("[[turns]]")[0]
        + '[[turns]]\nspeaker = "reviewer"\ntext = "Hello."\n'
    )
    ran = as_user(["mock", "render", str(script), "-o", str(out / "call.wav")])
    one_line_error(ran, "call.wav", "Permission denied")
    assert list(out.iterdir()) == []
