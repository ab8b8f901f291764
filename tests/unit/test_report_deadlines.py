"""Next steps after a call, in the order to do them and on real working days: an urgent or
inpatient denial puts the expedited appeal first, a reviewer from another specialty adds a
same-specialty request, no step appears twice, and the payer's rules add their own."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from report_support import copy_case, demo_case, library

from p2p_assist.cases.model import Case
from p2p_assist.report.deadlines import DatedStep, plan_after_call

WEDNESDAY_BEFORE_THANKSGIVING = dt.date(2026, 11, 25)
TEEN = "demo-teen-residential"  # urgent, Illinois rules
RA = "demo-ra-biologic"  # not urgent, generic rules


def case_of(tmp_path: Path, case_id: str) -> Case:
    return demo_case(copy_case(tmp_path, case_id), case_id)


def plan(
    case: Case,
    determination: str | None,
    specialty: str | None = None,
    day: dt.date = WEDNESDAY_BEFORE_THANKSGIVING,
) -> list[DatedStep]:
    rules = library().payer_rules[case.payer.rules]
    return plan_after_call(library().next_steps, case, determination, specialty, day, rules)


def titles(steps: list[DatedStep]) -> list[str]:
    return [step.title for step in steps]


def test_an_urgent_denial_puts_the_expedited_appeal_first_and_only_once(tmp_path: Path) -> None:
    steps = plan(case_of(tmp_path, TEEN), "denied")
    assert titles(steps)[0] == "Request an expedited appeal"
    assert "Expedited review" not in titles(steps)  # the case's own line is not repeated
    assert len(titles(steps)) == len(set(titles(steps)))


def test_a_reviewer_from_another_specialty_comes_right_after_the_expedited_appeal(
    tmp_path: Path,
) -> None:
    steps = plan(case_of(tmp_path, TEEN), "denied", specialty="family medicine")
    assert titles(steps)[:3] == [
        "Request an expedited appeal",
        "Ask for a same-specialty review",
        "Send a medical necessity letter",
    ]


@pytest.mark.parametrize("heard", [None, "mentioned", "child and adolescent psychiatry"])
def test_no_same_specialty_request_when_the_specialty_matches_or_is_unknown(
    tmp_path: Path, heard: str | None
) -> None:
    steps = plan(case_of(tmp_path, TEEN), "denied", specialty=heard)
    assert "Ask for a same-specialty review" not in titles(steps)


def test_a_denied_inpatient_stay_counts_as_urgent(tmp_path: Path) -> None:
    case = case_of(tmp_path, RA)
    inpatient = case.model_copy(
        update={"request": case.request.model_copy(update={"level_of_care": "Inpatient stay"})}
    )
    assert titles(plan(inpatient, "denied"))[0] == "Request an expedited appeal"
    assert "Request an expedited appeal" not in titles(plan(case, "denied"))


def test_an_urgent_partial_approval_appeals_the_cut_first(tmp_path: Path) -> None:
    steps = plan(case_of(tmp_path, TEEN), "partially approved")
    assert titles(steps)[0] == "Request an expedited appeal of the part denied"
    assert "Expedited review" not in titles(steps)


def test_without_a_determination_the_case_still_asks_for_expedited_review(tmp_path: Path) -> None:
    steps = plan(case_of(tmp_path, TEEN), None)
    assert titles(steps) == ["Written appeal deadline", "Expedited review"]


def test_short_steps_count_business_days_over_thanksgiving(tmp_path: Path) -> None:
    steps = {step.title: step for step in plan(case_of(tmp_path, TEEN), "denied")}
    expedited = steps["Request an expedited appeal"]
    assert expedited.due == dt.date(2026, 11, 27) and expedited.basis == (
        "1 business day after the call"
    )
    letter = steps["Send a medical necessity letter"]
    assert letter.due == dt.date(2026, 12, 1) and letter.when() == "by Tue 1 Dec 2026"


def test_a_calendar_deadline_on_a_holiday_is_moved_to_the_working_day_before(
    tmp_path: Path,
) -> None:
    friday = dt.date(2026, 12, 18)  # + 14 days = Fri 1 Jan 2027, New Year's Day
    steps = {step.title: step for step in plan(case_of(tmp_path, RA), "denied", day=friday)}
    exception = steps["Request a benefit exception"]
    assert exception.deadline == dt.date(2027, 1, 1)
    assert exception.due == dt.date(2026, 12, 31)
    assert exception.when() == ("due Fri 1 Jan 2027 (New Year's Day) — send by Thu 31 Dec 2026")


def test_illinois_rules_add_their_steps(tmp_path: Path) -> None:
    teen = case_of(tmp_path, TEEN)
    denied = titles(plan(teen, "denied"))
    assert "Appeal rather than ask for a second P2P" in denied
    approved = {step.title: step for step in plan(teen, "approved")}
    letter = approved["Check for the new determination letter"]
    assert letter.due == dt.date(2026, 11, 27)  # 1 business day, Thanksgiving skipped
    ra_approved = titles(plan(case_of(tmp_path / "ra", RA), "approved"))
    assert "Check for the new determination letter" not in ra_approved  # generic: no such rule


@pytest.mark.parametrize("outcome", ["approved", "partially approved", "denied", "pending", None])
def test_no_step_says_1_days(tmp_path: Path, outcome: str | None) -> None:
    for case_id in (TEEN, RA):
        for step in plan(case_of(tmp_path / case_id, case_id), outcome, "family medicine"):
            words = " ".join([step.title, step.detail, step.basis, step.when()])
            assert not re.search(r"\b1 (days|hours|business days)\b", words), words
