"""The one-page brief: the denial and the answer first, facts with dates, gaps flagged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from report_support import copy_case, demo_case, library
from transcript_support import mode

from p2p_assist.cases.check import gaps
from p2p_assist.cli.main import main
from p2p_assist.report.brief import render_brief

TODAY = dt.date(2026, 11, 20)


@pytest.mark.parametrize("case_id", ["demo-ra-biologic", "demo-teen-residential"])
def test_denial_and_answer_come_before_the_clinical_facts(tmp_path: Path, case_id: str) -> None:
    cases = copy_case(tmp_path, case_id)
    case = demo_case(cases, case_id)
    brief = render_brief(case_id, case, library(), TODAY)
    order = [
        brief.index("## The denial, and the answer"),
        brief.index(case.denial.one_sentence_answer),
        brief.index("## Patient and diagnosis"),
        brief.index("## Severity"),
        brief.index("## Treatment history"),
        brief.index("## Why not a lower level of care"),
        brief.index("## Guidelines"),
        brief.index("## Policy criteria, point by point"),
    ]
    assert order == sorted(order)


def test_facts_carry_dates_doses_deltas_and_years(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    brief = render_brief("demo-ra-biologic", demo_case(cases), library(), TODAY)
    assert "DAS28-CRP 6 (9 Jun 2025) → 5.5 (2 Nov 2026), -0.5, better" in brief
    assert "Methotrexate with folic acid 1 mg daily 15 mg weekly by mouth" in brief
    assert "16 Jun 2025 to 19 Jan 2026" in brief
    assert "(American College of Rheumatology (ACR), 2021)" in brief
    assert "P2P window open until 30 Nov 2026 (10 days left)" in brief


def test_gaps_from_case_check_are_flagged_inline_and_listed(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    case = demo_case(cases)
    brief = render_brief("demo-ra-biologic", case, library(), TODAY)
    assert "→ ⚠ no evidence recorded" in brief  # the TB screening criterion
    assert "year missing" in brief  # the ACR position statement has no year
    listed = brief.split("## Gaps to fix before the call")[1]
    assert [line for line in listed.splitlines() if line.startswith("- ⚠")] == [
        f"- ⚠ {gap}" for gap in gaps(case)
    ]


def test_a_case_without_gaps_says_so(tmp_path: Path) -> None:
    cases = copy_case(tmp_path, "demo-teen-residential")
    brief = render_brief(
        "demo-teen-residential", demo_case(cases, "demo-teen-residential"), library(), TODAY
    )
    assert "None found by `p2p-assist case check`." in brief and "⚠" not in brief


def test_brief_command_writes_an_owner_only_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = copy_case(tmp_path)
    out = tmp_path / "brief.md"
    assert main(["--cases", str(cases), "brief", "demo-ra-biologic", "-o", str(out)]) == 0
    assert out.read_text().startswith("# Brief — ")
    assert mode(out) == 0o600
    assert main(["--cases", str(cases), "brief", "nosuch"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 2  # "written to", then the error
