"""Case files: the demo cases validate and are ready, a blank template is not, the gap check
finds what a reviewer would exploit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from demo_cases import DEMOS, copy_demo_cases

from p2p_assist.basics.errors import UserError
from p2p_assist.cases.check import gaps, not_ready, p2p_window
from p2p_assist.cases.facts import case_facts, measure_line, short_name
from p2p_assist.cases.model import Band, Measure, Reading
from p2p_assist.cases.store import list_cases, load_case, new_case
from p2p_assist.cli.main import main


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


def test_window_closing_on_a_weekend_says_so_and_names_the_day_to_ask_by(cases: Path) -> None:
    case = load_case(cases, "demo-teen-residential")  # letter Wed 18 Nov 2026 + 10 days
    words = p2p_window(case, dt.date(2026, 11, 20)).describe()
    assert words == (
        "P2P window open (8 days left): closes Sat 28 Nov 2026 (a Saturday)"
        " — ask by Fri 27 Nov 2026"
    )


def test_window_counts_are_pluralised(cases: Path) -> None:
    case = load_case(cases, "demo-ra-biologic")  # closes Mon 30 Nov 2026
    assert "(1 day left)" in p2p_window(case, dt.date(2026, 11, 29)).describe()
    assert "(1 day ago)" in p2p_window(case, dt.date(2026, 12, 1)).describe()
    assert "(2 days ago)" in p2p_window(case, dt.date(2026, 12, 2)).describe()


def test_measure_line_names_the_better_direction_worst_and_where_it_stands() -> None:
    cgas = Measure(
        instrument="CGAS",
        higher_is_worse=False,
        bands=[Band(at_least=41, label="moderate impairment"), Band(at_least=61, label="mild")],
        readings=[
            Reading(date=dt.date(2026, 3, 1), value=55),
            Reading(date=dt.date(2026, 1, 1), value=60),
            Reading(date=dt.date(2026, 2, 1), value=48),
        ],
    )
    assert measure_line(cgas) == (
        "CGAS (higher is better): baseline 60 (1 Jan 2026), worst 48 (1 Feb 2026), "
        "latest 55 (1 Mar 2026) — 5 worse than baseline, still moderate impairment; "
        "best 60 (1 Jan 2026)"
    )


def test_ra_das28_is_better_than_baseline_but_still_high(cases: Path) -> None:
    das28 = load_case(cases, "demo-ra-biologic").measures[0]
    assert das28.higher_is_worse  # lower is better for DAS28
    line = measure_line(das28)
    assert "(lower is better)" in line and "0.5 better than baseline, still high activity" in line
    assert "best 4.5 (1 Dec 2025)" in line


@pytest.mark.parametrize(
    ("instrument", "higher_is_worse"),
    [("DAS28", True), ("PHQ-A", True), ("CGAS", False), ("C-SSRS", True)],
)
def test_demo_measures_run_the_right_way(
    cases: Path, instrument: str, higher_is_worse: bool
) -> None:
    measures = [m for demo in DEMOS for m in load_case(cases, demo).measures]
    found = [m for m in measures if instrument in m.instrument]
    assert found and all(m.higher_is_worse is higher_is_worse for m in found)


def test_bands_must_be_listed_lowest_first() -> None:
    with pytest.raises(ValueError, match="lowest first"):
        Measure(instrument="X", bands=[Band(at_least=5, label="b"), Band(at_least=1, label="a")])


def test_short_names_keep_units_and_abbreviations() -> None:
    assert short_name("PHQ-A (PHQ-9 modified for adolescents)") == "PHQ-A"
    assert short_name("C-reactive protein (mg/L)") == "C-reactive protein (mg/L)"
    assert short_name("Columbia Suicide Severity Rating Scale (C-SSRS), ideation") == (
        "Columbia Suicide Severity Rating Scale (C-SSRS)"
    )


def test_new_case_writes_a_private_template_that_is_not_ready(tmp_path: Path) -> None:
    path = new_case(tmp_path, "fresh-case")
    assert (path.stat().st_mode & 0o777) == 0o600
    assert (path.parent.stat().st_mode & 0o777) == 0o700
    case = load_case(tmp_path, "fresh-case")
    assert case.denial.letter_date is None and case.patient.age is None
    assert [missing.field for missing in not_ready(case)] == [
        "clinician.name", "patient.age", "patient.sex", "payer.name", "request.service",
        "denial.letter_date", "denial.reason", "diagnoses",
    ]  # fmt: skip
    assert p2p_window(case, dt.date(2026, 11, 23)).state == "unknown"
    assert gaps(case)  # an empty template has plenty to fill in


def test_case_check_calls_a_blank_template_not_ready(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--cases", str(tmp_path), "case", "new", "blank"]) == 0
    capsys.readouterr()
    assert main(["--cases", str(tmp_path), "case", "check", "blank"]) == 1
    out = capsys.readouterr().out
    assert "NOT READY for a call — 8 fields to fill in" in out and "valid" not in out
    assert "  - denial.reason: the reason in the payer's own words" in out
    assert "  - denial.letter_date: the date printed on the denial letter" in out
    assert "  - patient.age: the patient's age in years" in out
    assert "P2P window open" not in out  # no window from a letter date nobody entered


@pytest.mark.parametrize("case_id", DEMOS)
def test_case_check_calls_the_demo_cases_ready(
    cases: Path, case_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--cases", str(cases), "case", "check", case_id, "--today", "2026-11-18"]) == 0
    out = capsys.readouterr().out
    assert f"{case_id}/case.toml: ready for a call" in out
    assert "P2P window open" in out and "Written appeal" in out


def test_case_check_names_an_unknown_rules_profile(
    cases: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = cases / "demo-ra-biologic" / "case.toml"
    path.write_text(path.read_text().replace('rules = "generic"', 'rules = "ilinois"'))
    assert main(["--cases", str(cases), "case", "check", "demo-ra-biologic"]) == 1
    out = capsys.readouterr().out
    assert "payer.rules: no profile 'ilinois' — use one of: generic, illinois" in out


def test_case_list_marks_a_case_that_is_not_ready(
    cases: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new_case(cases, "blank")
    assert main(["--cases", str(cases), "case", "list", "--today", "2026-11-18"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert "NOT READY: 8 required fields empty" in lines["blank"]
    assert "P2P window open" in lines["demo-ra-biologic"]


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
