"""After a call is saved the case records its one P2P by itself, changing only the line
that holds it: the user's comments, order and spacing survive, and an edit that would change
anything else is refused rather than written."""

from __future__ import annotations

import datetime as dt
import difflib
import tomllib
from pathlib import Path

import pytest
from demo_cases import copy_demo_cases

from p2p_assist.basics.errors import UserError
from p2p_assist.cases.edit import record_p2p_held
from p2p_assist.cases.store import load_case, new_case
from p2p_assist.cli.main import main

DAY = dt.date(2026, 11, 19)


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    return copy_demo_cases(tmp_path, "demo-ra-biologic")


def _diff(before: str, after: str) -> list[str]:
    """The lines removed (-) and added (+), in file order."""
    lines = difflib.ndiff(before.splitlines(), after.splitlines())
    return [line for line in lines if line.startswith(("- ", "+ "))]


def test_saved_call_marks_the_p2p_held_and_touches_one_line(cases: Path) -> None:
    path = cases / "demo-ra-biologic" / "case.toml"
    before = path.read_text()
    assert record_p2p_held(cases, "demo-ra-biologic", DAY)
    after = path.read_text()
    case = load_case(cases, "demo-ra-biologic")
    assert case.prior_p2p == "held" and case.prior_p2p_on == DAY
    assert _diff(before, after) == [
        '- prior_p2p = "none"',
        '+ prior_p2p = "held"',
        "+ prior_p2p_on = 2026-11-19",
    ]  # one line changed, one added beneath it, every comment and blank line kept
    assert (path.stat().st_mode & 0o777) == 0o600


def test_template_comment_is_switched_on_in_its_column(tmp_path: Path) -> None:
    path = new_case(tmp_path, "fresh")
    before = path.read_text()
    assert record_p2p_held(tmp_path, "fresh", DAY)
    comment = "# none | held | scheduled (one P2P per denial; set after a call)"
    when = "# the day the P2P was held or is booked for"
    assert _diff(before, path.read_text()) == [
        f'- prior_p2p = "none"           {comment}',
        f'+ prior_p2p = "held"           {comment}',
        f"- # prior_p2p_on = 2026-11-19      {when}",
        f"+ prior_p2p_on = 2026-11-19      {when}",
    ]


def test_a_case_without_the_keys_gets_them_before_its_first_table(tmp_path: Path) -> None:
    folder = tmp_path / "bare"
    folder.mkdir()
    (folder / "case.toml").write_text(
        '# my own layout\ntitle = "bare"\n\n[clinician]\nname = "Dr. A"\n'
        '[patient]\nsex = "male"\n[payer]\nname = "P"\n[request]\nservice = "S"\n'
        '[denial]\nletter_date = 2026-11-16\nreason = "R"\n'
    )
    assert record_p2p_held(tmp_path, "bare", DAY)
    text = (folder / "case.toml").read_text()
    added = 'prior_p2p = "held"\nprior_p2p_on = 2026-11-19\n'
    assert text.startswith(f'# my own layout\ntitle = "bare"\n{added}\n[clinician]')


def test_a_second_call_keeps_the_first_date(cases: Path) -> None:
    path = cases / "demo-ra-biologic" / "case.toml"
    assert record_p2p_held(cases, "demo-ra-biologic", DAY)
    once = path.read_text()
    assert not record_p2p_held(cases, "demo-ra-biologic", DAY + dt.timedelta(days=1))
    assert path.read_text() == once


def test_a_scheduled_date_is_replaced_by_the_day_it_was_held(tmp_path: Path) -> None:
    cases = copy_demo_cases(tmp_path, "demo-teen-residential")
    assert record_p2p_held(cases, "demo-teen-residential", dt.date(2026, 11, 20))
    data = tomllib.loads((cases / "demo-teen-residential" / "case.toml").read_text())
    assert data["prior_p2p"] == "held" and data["prior_p2p_on"] == dt.date(2026, 11, 20)
    assert data["p2p_requested_on"] == dt.date(2026, 11, 18)


def test_an_edit_that_would_change_anything_else_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    text = 'notes = """\nprior_p2p = "none"\n"""\n[clinician]\nname = "Dr. A"\n'
    (folder / "case.toml").write_text(text)
    # The only prior_p2p line is inside a multi-line string: inserting a real key is fine.
    assert record_p2p_held(tmp_path, "odd", DAY)
    assert tomllib.loads((folder / "case.toml").read_text())["notes"] == 'prior_p2p = "none"\n'
    weird = tmp_path / "weird"
    weird.mkdir()
    odd = 'prior_p2p = "none" \\\n'  # not TOML a line edit can safely reason about
    (weird / "case.toml").write_text(f"{odd}[x]\n")
    with pytest.raises(UserError):
        record_p2p_held(tmp_path, "weird", DAY)
    assert (weird / "case.toml").read_text() == f"{odd}[x]\n"


def test_case_check_then_warns_before_a_second_p2p(
    cases: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record_p2p_held(cases, "demo-ra-biologic", DAY)
    assert (
        main(["--cases", str(cases), "case", "check", "demo-ra-biologic", "--today", "2026-11-20"])
        == 0
    )
    out = capsys.readouterr().out
    assert "⚠ A P2P was already held on Thu 19 Nov 2026 for this denial" in out
    assert "Ask for the P2P today" not in out
