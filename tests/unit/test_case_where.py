"""Which folder a case id means: the user's own case first, else a shipped demo, whose calls
go to a private working folder and never into the folder it ships in."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from report_support import CASE, OBJECTION, write_call

from p2p_assist.basics.locations import CASES_ENV, demos_dir
from p2p_assist.cases.store import load_case
from p2p_assist.cases.where import demo_cases, find_case
from p2p_assist.cli.main import main

DEMO = CASE  # the demo the shared call writer records against


@pytest.fixture
def away_from_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder, no $P2P_ASSIST_CASES, and a per-user data folder of its own."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv(CASES_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data" / "p2p-assist"


def shipped_files() -> dict[str, bytes]:
    folder = demos_dir() / DEMO
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_the_users_own_case_comes_first(tmp_path: Path) -> None:
    (tmp_path / DEMO).mkdir()
    shutil.copy2(demos_dir() / DEMO / "case.toml", tmp_path / DEMO / "case.toml")
    home = find_case(str(tmp_path), DEMO)
    assert (home.cases_dir, home.files, home.demo) == (tmp_path, tmp_path / DEMO, False)


def test_a_demo_outside_the_users_cases_gets_a_private_working_folder(
    away_from_checkout: Path,
) -> None:
    before = shipped_files()
    home = find_case(None, DEMO)
    copy = away_from_checkout / "demos" / DEMO / "case.toml"
    assert home.demo and home.cases_dir == away_from_checkout / "demos"
    assert home.files == demos_dir() / DEMO and (home.files / "mock-call.wav").is_file()
    assert copy.read_bytes() == (demos_dir() / DEMO / "case.toml").read_bytes()
    assert (copy.stat().st_mode & 0o777) == 0o600
    assert (copy.parent.stat().st_mode & 0o777) == 0o700
    assert load_case(home.cases_dir, DEMO).request.service
    assert shipped_files() == before


def test_the_working_copy_follows_the_shipped_case_file(away_from_checkout: Path) -> None:
    copy = find_case(None, DEMO).cases_dir / DEMO / "case.toml"
    copy.write_text("stale = true\n")
    find_case(None, DEMO)
    assert copy.read_bytes() == (demos_dir() / DEMO / "case.toml").read_bytes()


@pytest.mark.parametrize("case_id", ["nobody", f"../{DEMO}", f"./{DEMO}"])
def test_other_ids_stay_with_the_users_cases(tmp_path: Path, case_id: str) -> None:
    home = find_case(str(tmp_path), case_id)
    assert (home.cases_dir, home.demo) == (tmp_path, False)


def test_demos_the_user_has_a_case_of_are_not_listed_again(tmp_path: Path) -> None:
    (tmp_path / DEMO).mkdir()
    listed = {entry.case_id for entry in demo_cases(str(tmp_path))}
    assert DEMO not in listed and listed  # the other demo still shows


def test_first_run_lists_no_own_cases_the_demos_and_how_to_start(
    away_from_checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["case", "list"]) == 0
    out = capsys.readouterr().out
    own, demos = out.split("Demo cases")
    assert str(away_from_checkout / "cases") in own and "p2p-assist case new ID" in own
    assert DEMO in demos and DEMO not in own
    assert "Try one: p2p-assist practice demo-" in demos


def test_case_new_goes_to_the_per_user_folder_and_then_lists_as_own(
    away_from_checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["case", "new", "my-case"]) == 0
    made = away_from_checkout / "cases" / "my-case" / "case.toml"
    assert made.is_file() and (made.stat().st_mode & 0o777) == 0o600
    capsys.readouterr()
    assert main(["case", "list"]) == 0
    own, _ = capsys.readouterr().out.split("Demo cases")
    assert "my-case" in own and "none yet" not in own


def test_a_cases_folder_in_the_working_folder_wins_over_the_per_user_one(
    away_from_checkout: Path,
) -> None:
    (Path.cwd() / "cases").mkdir()
    assert main(["case", "new", "here"]) == 0
    assert Path("cases/here/case.toml").is_file()
    assert not (away_from_checkout / "cases").exists()


def test_commands_on_a_demo_with_no_calls_name_its_working_folder(
    away_from_checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["case", "check", DEMO]) == 0
    assert "a demo case shipped with p2p-assist" in capsys.readouterr().out
    assert main(["note", DEMO]) == 2
    error = capsys.readouterr().err
    assert str(away_from_checkout / "demos" / DEMO / "calls") in error
    assert f"p2p-assist practice {DEMO}" in error


def test_calls_on_a_demo_are_found_by_note_export_and_search(
    away_from_checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = find_case(None, DEMO)
    call_dir = write_call(home.cases_dir).call_dir
    assert call_dir.is_relative_to(away_from_checkout / "demos" / DEMO / "calls")
    assert main(["note", DEMO]) == 0 and (call_dir / "note.md").is_file()
    capsys.readouterr()
    assert main(["export", DEMO, "latest", "--format", "txt"]) == 0
    assert OBJECTION in capsys.readouterr().out
    assert main(["search", "preferred biosimilar"]) == 0  # no --case: the demos are searched too
    assert f"{DEMO}  {call_dir.name}" in capsys.readouterr().out
