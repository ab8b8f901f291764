"""Case files: the demo cases validate, the gap check finds what a reviewer would exploit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from demo_cases import DEMOS, copy_demo_cases

from p2p_assist.basics.errors import UserError
from p2p_assist.cases.check import gaps, p2p_window, procedure_notes
from p2p_assist.cases.facts import case_facts, measure_line
from p2p_assist.cases.model import Measure, Reading
from p2p_assist.cases.store import list_cases, load_case, new_case


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    return copy_demo_cases(tmp_path, *DEMOS)


@pytest.mark.parametrize("case_id", DEMOS)
def test_demo_cases_validate_and_fill_every_fact(cases: Path, case_id: str) -> None:
    case = load_case(cases, case_id)
    facts = case_facts(case)
    assert facts["treatments"].text and facts["measures"].text and facts["guidelines"].text
    assert case.measures and all(len(m.readings) >= 2 for m in case.measures)


def test_teen_case_has_no_gaps_and_ra_case_shows_its_two(cases: Path) -> None:
    assert gaps(load_case(cases, "demo-teen-residential")) == []
    ra_gaps = gaps(load_case(cases, "demo-ra-biologic"))
    assert any("year of" in gap for gap in ra_gaps)
    assert any("evidence for criterion" in gap for gap in ra_gaps)


def test_window_is_ten_days_from_the_letter_by_default(cases: Path) -> None:
    case = load_case(cases, "demo-teen-residential")
    letter = case.denial.letter_date
    open_window = p2p_window(case, letter + dt.timedelta(days=3))
    assert open_window.state == "open" and open_window.days_left == 7
    assert p2p_window(case, letter + dt.timedelta(days=10)).state == "closes today"
    assert p2p_window(case, letter + dt.timedelta(days=11)).state == "closed"


def test_urgent_case_is_steered_to_expedited_review(cases: Path) -> None:
    case = load_case(cases, "demo-teen-residential")
    notes = procedure_notes(case, case.denial.letter_date)
    assert case.request.urgent
    assert any("expedited" in note for note in notes)


def test_second_p2p_is_refused_by_the_check(cases: Path) -> None:
    path = cases / "demo-ra-biologic" / "case.toml"
    path.write_text(path.read_text().replace('prior_p2p = "none"', 'prior_p2p = "held"'))
    text = path.read_text()
    if 'prior_p2p = "held"' not in text:
        path.write_text('prior_p2p = "held"\n' + text)
    case = load_case(cases, "demo-ra-biologic")
    notes = procedure_notes(case, case.denial.letter_date)
    assert any("only one is allowed" in note for note in notes)


def test_measure_line_shows_baseline_latest_and_direction() -> None:
    cgas = Measure(
        instrument="CGAS",
        higher_is_worse=False,
        readings=[
            Reading(date=dt.date(2026, 3, 1), value=55),
            Reading(date=dt.date(2026, 1, 1), value=60),
        ],
    )
    assert measure_line(cgas) == "CGAS 60 (1 Jan 2026) → 55 (1 Mar 2026), -5, worse"


def test_new_case_writes_a_valid_private_template(tmp_path: Path) -> None:
    path = new_case(tmp_path, "fresh-case", today=dt.date(2026, 11, 23))
    assert (path.stat().st_mode & 0o777) == 0o600
    assert (path.parent.stat().st_mode & 0o777) == 0o700
    case = load_case(tmp_path, "fresh-case")
    assert case.denial.letter_date == dt.date(2026, 11, 23)
    assert gaps(case)  # an empty template has plenty to fill in


def test_new_case_never_overwrites(tmp_path: Path) -> None:
    path = new_case(tmp_path, "once")
    path.write_text(path.read_text() + "\n# my edits\n")
    with pytest.raises(UserError, match="already exists"):
        new_case(tmp_path, "once")
    assert path.read_text().endswith("# my edits\n")


@pytest.mark.parametrize("bad", ["../x", "/etc/passwd", "a/b", "..", ".hidden", ""])
def test_case_ids_cannot_leave_the_cases_folder(tmp_path: Path, bad: str) -> None:
    with pytest.raises(UserError, match="plain folder name"):
        load_case(tmp_path, bad)


def test_unknown_field_names_file_field_and_a_guess(cases: Path) -> None:
    path = cases / "demo-ra-biologic" / "case.toml"
    path.write_text(path.read_text().replace("letter_date", "leter_date", 1))
    with pytest.raises(UserError) as caught:
        load_case(cases, "demo-ra-biologic")
    message = str(caught.value)
    assert "\n" not in message
    assert "case.toml" in message and "denial" in message and "letter_date" in message


def test_list_reports_a_broken_case_without_hiding_the_others(cases: Path) -> None:
    (cases / "demo-ra-biologic" / "case.toml").write_text("this is = = not toml")
    entries = {entry.case_id: entry for entry in list_cases(cases)}
    assert entries["demo-teen-residential"].case is not None
    assert entries["demo-ra-biologic"].case is None
    assert "not valid TOML" in (entries["demo-ra-biologic"].problem or "")
