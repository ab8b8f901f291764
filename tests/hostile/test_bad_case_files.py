"""A case file with a typo in it: every command that reads the case says which field and how to
fix it, and a broken case never takes the other cases down with it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import CASE, OTHER_CASE, Cli, edit_case, no_traceback, one_line_error
from demo_cases import demo_file
from report_support import write_call

from p2p_assist.cases.check import p2p_window
from p2p_assist.cases.store import list_cases

pytestmark = pytest.mark.bad_input

DEEP = "x = " + "[" * 100_000 + "]" * 100_000 + "\n"

# (what is wrong, the line to change, what it becomes, the field the error must name)
BAD_VALUES = [
    (
        "a letter from the year 9999",
        r"^letter_date = .*",
        "letter_date = 9999-12-31",
        "letter_date",
    ),
    ("a letter from the year 1", r"^letter_date = .*", "letter_date = 0001-01-01", "letter_date"),
    ("a huge P2P window", r"^p2p_window_days = .*", "p2p_window_days = 999999999", "p2p_window"),
    (
        "the largest TOML integer as the appeal deadline",
        r"^appeal_deadline_days = .*",
        "appeal_deadline_days = 9223372036854775807",
        "appeal_deadline_days",
    ),
    (
        "a negative expedited decision time",
        r"^expedited_decision_hours = .*",
        "expedited_decision_hours = -72",
        "expedited_decision_hours",
    ),
    ("an age of true", r"^age = .*", "age = true", "patient.age"),
    ("an age of 1000", r"^age = .*", "age = 1000", "patient.age"),
    ("a reading of nan", r"value = [0-9.]+", "value = nan", "readings[0].value"),
    ("a reading of inf", r"value = [0-9.]+", "value = inf", "readings[0].value"),
    ("a reading of -inf", r"value = [0-9.]+", "value = -inf", "readings[0].value"),
    ("a reading of true", r"value = [0-9.]+", "value = true", "readings[0].value"),
    ("a reading of 1e308", r"value = [0-9.]+", "value = 1e308", "readings[0].value"),
    ("a treatment started in 9999", r"^start = .*", "start = 9999-01-01", "treatments[0].start"),
    ("a guideline year of true", r"^year = .*", "year = true", "guidelines[0].year"),
]


@pytest.fixture(params=BAD_VALUES, ids=[value[0] for value in BAD_VALUES])
def broken(request: pytest.FixtureRequest, cases: Path) -> tuple[Path, str]:
    """The demo case with one bad value, beside a good case; returns (cases, field named)."""
    _, pattern, replacement, field = request.param
    edit_case(cases, CASE, pattern, replacement)
    return cases, field


@pytest.fixture
def no_screen(monkeypatch: pytest.MonkeyPatch) -> list[list[tuple[str, str]]]:
    """Neither the call screen nor the case picker may open in these tests; the picker's rows
    are kept to be checked, and it answers "no case"."""
    from p2p_assist.ui.app import P2PApp, PickCase

    shown: list[list[tuple[str, str]]] = []

    def run_instead(self: P2PApp) -> None:
        if not isinstance(self.opening, PickCase):
            raise AssertionError("the call screen opened on a broken case")
        shown.append(self.opening.rows)

    monkeypatch.setattr(P2PApp, "run", run_instead)
    return shown


def test_case_check_names_the_field(cli: Cli, broken: tuple[Path, str]) -> None:
    cases, field = broken
    one_line_error(cli("--cases", cases, "case", "check", CASE), "case.toml", field)


def test_brief_names_the_field(cli: Cli, broken: tuple[Path, str]) -> None:
    cases, field = broken
    one_line_error(cli("--cases", cases, "brief", CASE), "case.toml", field)


def test_case_list_shows_the_broken_case_and_lists_the_others(
    cli: Cli, broken: tuple[Path, str]
) -> None:
    cases, field = broken
    ran = cli("--cases", cases, "case", "list")
    no_traceback(ran)
    assert ran.code == 0
    listed = {line.split()[0]: line for line in ran.out.splitlines()}
    assert "INVALID" in listed[CASE] and field in listed[CASE]
    assert "P2P window" in listed[OTHER_CASE]


def test_the_case_picker_shows_the_broken_case_and_lists_the_others(
    cli: Cli, broken: tuple[Path, str], no_screen: list[list[tuple[str, str]]]
) -> None:
    cases, field = broken
    ran = cli("--cases", cases, "practice")
    no_traceback(ran)
    (rows,) = no_screen
    shown = dict(rows)
    assert shown[CASE].startswith("INVALID") and field in shown[CASE]
    assert "P2P window" in shown[OTHER_CASE]


def test_practice_stops_before_the_screen(
    cli: Cli, broken: tuple[Path, str], no_screen: list[list[tuple[str, str]]]
) -> None:
    cases, field = broken
    (cases / CASE / "mock-call.wav").symlink_to(demo_file(CASE, "mock-call.wav"))
    one_line_error(cli("--cases", cases, "practice", CASE), "case.toml", field)


def test_note_is_still_written_without_the_case_facts(cli: Cli, broken: tuple[Path, str]) -> None:
    cases, field = broken
    call_dir = write_call(cases).call_dir
    ran = cli("--cases", cases, "note", CASE)
    no_traceback(ran)
    assert field in ran.err and "without the case's facts" in ran.err
    assert "step therapy" in (call_dir / "note.md").read_text().lower()


@pytest.mark.parametrize(
    ("what", "content", "problem"),
    [
        ("100,000 nested arrays", DEEP.encode(), "nested too deeply"),
        ("Latin-1 bytes", "title = 'caf\xe9'\n".encode("latin-1"), "not UTF-8"),
        ("an empty file", b"", "required field is missing"),
        ("binary noise", bytes(range(256)) * 4, "not"),
        ("a NUL byte", b"title = '\x00'\n", "not valid TOML"),
    ],
)
def test_an_unreadable_case_file_is_one_line_everywhere(
    cli: Cli, cases: Path, what: str, content: bytes, problem: str
) -> None:
    (cases / CASE / "case.toml").write_bytes(content)
    for command in (["case", "check", CASE], ["brief", CASE]):
        one_line_error(cli("--cases", cases, *command), "case.toml", problem)
    listing = cli("--cases", cases, "case", "list")
    assert listing.code == 0 and OTHER_CASE in listing.out and "INVALID" in listing.out


def test_a_case_file_that_is_a_folder(cli: Cli, cases: Path) -> None:
    (cases / CASE / "case.toml").unlink()
    (cases / CASE / "case.toml").mkdir()
    one_line_error(cli("--cases", cases, "case", "check", CASE), "case.toml")
    listing = cli("--cases", cases, "case", "list")
    assert listing.code == 0 and OTHER_CASE in listing.out


def test_a_denial_letter_dated_after_today_is_flagged(cli: Cli, cases: Path) -> None:
    edit_case(cases, CASE, r"^letter_date = .*", "letter_date = 2026-12-20")
    ran = cli("--cases", cases, "case", "check", CASE, "--today", "2026-12-01")
    assert "after today" in ran.out and "letter_date" in ran.out
    brief = cli("--cases", cases, "brief", CASE, "--today", "2026-12-01")
    assert "after today" in brief.out


def test_the_window_of_every_listed_case_can_be_shown(cases: Path) -> None:
    """What the picker and `case list` do with each entry, on the widest dates allowed."""
    edit_case(cases, CASE, r"^letter_date = .*", "letter_date = 2100-12-31")
    edit_case(cases, CASE, r"^p2p_window_days = .*", "p2p_window_days = 3650")
    edit_case(cases, OTHER_CASE, r"^letter_date = .*", "letter_date = 1900-01-01")
    for today in (dt.date(1900, 1, 1), dt.date(2100, 12, 31)):
        for entry in list_cases(cases):
            assert entry.case is not None, entry.problem
            assert p2p_window(entry.case, today).describe()
