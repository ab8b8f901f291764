"""The one-page brief: the denial and the answer first, severity with the better direction and
where it stands, then only the facts that answer this denial; `--full` adds everything else."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from report_support import copy_case, demo_case, library
from transcript_support import mode

from p2p_assist.cases.check import gaps
from p2p_assist.cli.main import main
from p2p_assist.report.brief import ONE_PAGE_WORDS, render_brief, word_count

TODAY = dt.date(2026, 11, 18)
DEMOS = ["demo-ra-biologic", "demo-teen-residential"]


def brief_for(tmp_path: Path, case_id: str, *, full: bool = False) -> str:
    cases = copy_case(tmp_path, case_id)
    return render_brief(case_id, demo_case(cases, case_id), library(), TODAY, full=full)


@pytest.mark.parametrize("case_id", DEMOS)
def test_the_brief_of_each_demo_fits_one_page(tmp_path: Path, case_id: str) -> None:
    page = brief_for(tmp_path, case_id)
    assert word_count(page) <= ONE_PAGE_WORDS == 450
    assert "Appendix" not in page


@pytest.mark.parametrize("case_id", DEMOS)
def test_denial_in_full_and_the_answer_come_before_the_clinical_facts(
    tmp_path: Path, case_id: str
) -> None:
    page = brief_for(tmp_path, case_id)
    case = demo_case(copy_case(tmp_path / "again", case_id), case_id)
    reason = " ".join(case.denial.reason.split())
    order = [
        page.index(f"“{reason}”"),  # the payer's words, never shortened
        page.index(case.denial.one_sentence_answer),
        page.index("**Patient:**"),
        page.index("## Severity"),
    ]
    assert order == sorted(order)


def test_a_step_therapy_denial_gets_the_treatment_history(tmp_path: Path) -> None:
    page = brief_for(tmp_path, "demo-ra-biologic")
    assert "## What was tried, and why it stopped" in page
    assert "- Sulfasalazine, Jan 2026 to Feb 2026: Drug hypersensitivity reaction." in page
    assert "Why not the lower level" not in page and "**Risk now:**" not in page


def test_a_level_of_care_denial_gets_the_risk_and_why_lower_levels_failed(tmp_path: Path) -> None:
    page = brief_for(tmp_path, "demo-teen-residential")
    assert "**Risk now:** High and persisting." in page
    assert "## Why not the lower level or the alternative" in page
    assert "**Intensive outpatient program (IOP):** Tried in February and March 2026" in page
    assert "What was tried" not in page


def test_severity_shows_baseline_worst_latest_the_better_way_and_where_it_stands(
    tmp_path: Path,
) -> None:
    page = brief_for(tmp_path, "demo-ra-biologic")
    assert (
        "- DAS28-CRP (lower is better): baseline and worst 6 (9 Jun 2025), latest 5.5 "
        "(2 Nov 2026) — 0.5 better than baseline, still high activity; best 4.5 (1 Dec 2025)"
    ) in page
    teen = brief_for(tmp_path / "teen", "demo-teen-residential")
    assert "- PHQ-A (lower is better): baseline 19 (9 Feb 2026), worst 25 (2 Nov 2026)" in teen


def test_the_page_names_the_booking_and_the_expedited_track(tmp_path: Path) -> None:
    teen = brief_for(tmp_path, "demo-teen-residential")
    assert "- P2P booked for Thu 19 Nov 2026" in teen
    assert "- Urgent care: ask for an expedited review (decided within 72 hours)" in teen
    ra = brief_for(tmp_path / "ra", "demo-ra-biologic")
    assert "- P2P window open until Mon 30 Nov 2026 (12 days left)" in ra


def test_full_adds_the_whole_record(tmp_path: Path) -> None:
    cases = copy_case(tmp_path, "demo-teen-residential")
    case = demo_case(cases, "demo-teen-residential")
    full = render_brief("demo-teen-residential", case, library(), TODAY, full=True)
    page = render_brief("demo-teen-residential", case, library(), TODAY)
    assert full.startswith(page)
    appendix = full.split("# Appendix — the full record")[1]
    for text in (
        *(t.name for t in case.treatments),
        *(a.option for a in case.alternatives),
        *(g.name for g in case.guidelines),
        *(e.citation for e in case.evidence),
        *(c.text for c in case.criteria),
        *(f"{r.date:%-d %b %Y}" for m in case.measures for r in m.readings),
    ):
        assert text in appendix, text
    assert "## On the call, ask for" in appendix
    assert word_count(full) > 4 * ONE_PAGE_WORDS


def test_gaps_are_counted_on_the_page_flagged_inline_and_listed_in_full(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    case = demo_case(cases)
    page = render_brief("demo-ra-biologic", case, library(), TODAY)
    assert "*⚠ 2 gaps to fix;" in page
    full = render_brief("demo-ra-biologic", case, library(), TODAY, full=True)
    assert "→ ⚠ no evidence recorded" in full  # the TB screening criterion
    assert "year missing" in full  # the ACR position statement has no year
    listed = full.split("## Gaps to fix before the call")[1]
    assert [line for line in listed.splitlines() if line.startswith("- ⚠")] == [
        f"- ⚠ {gap}" for gap in gaps(case)
    ]


def test_a_long_case_gives_way_from_the_end_of_its_lists(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    path = cases / "demo-ra-biologic" / "case.toml"
    text = path.read_text()
    block = text[text.index("[[measures]]") : text.index("[[treatments]]")]
    path.write_text(text.replace(block, block * 3, 1))  # twelve severity measures
    case = demo_case(cases)
    assert len(case.measures) == 12
    page = render_brief("demo-ra-biologic", case, library(), TODAY)
    assert word_count(page) <= ONE_PAGE_WORDS
    assert "more in `--full`" in page
    assert page.count("- DAS28-CRP") >= 1  # the clinician's first-ranked measure stays


def test_a_case_without_gaps_says_so_in_full(tmp_path: Path) -> None:
    full = brief_for(tmp_path, "demo-teen-residential", full=True)
    assert "None found by `p2p-assist case check`." in full and "⚠" not in full


def test_brief_command_writes_an_owner_only_file_and_takes_full(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = copy_case(tmp_path)
    out = tmp_path / "brief.md"
    assert main(["--cases", str(cases), "brief", "demo-ra-biologic", "-o", str(out)]) == 0
    assert out.read_text().startswith("# Brief — ")
    assert mode(out) == 0o600
    assert word_count(out.read_text()) <= ONE_PAGE_WORDS
    assert "brief written to" in capsys.readouterr().err
    assert main(["--cases", str(cases), "brief", "demo-ra-biologic", "--full"]) == 0
    assert "# Appendix — the full record" in capsys.readouterr().out
    assert main(["--cases", str(cases), "brief", "nosuch"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1  # one line: the error
