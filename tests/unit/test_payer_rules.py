"""Payer process rules as data: the Illinois and generic profiles load from prompts/, a case
picks one, and `case check` applies it (windows in business days, one P2P per denial, none
after an appeal, who may hold it)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from demo_cases import copy_demo_cases

from p2p_assist.basics.errors import UserError
from p2p_assist.cases.model import Case
from p2p_assist.cases.store import load_case
from p2p_assist.cli.main import main
from p2p_assist.library.load import load_library
from p2p_assist.library.process import process_notes, rules_for

TEEN = "demo-teen-residential"  # Illinois rules; letter Wed 18 Nov 2026
RA = "demo-ra-biologic"  # generic rules


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    return copy_demo_cases(tmp_path, TEEN, RA)


def _no_calls(folder: str, names: list[str]) -> list[str]:
    return ["calls"] if "calls" in names else []


def _edit(cases: Path, case_id: str, old: str, new: str) -> Case:
    path = cases / case_id / "case.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return load_case(cases, case_id)


def _texts(case: Case, today: dt.date) -> list[str]:
    library = load_library()
    return [note.text for note in process_notes(case, rules_for(library, case), today)]


def _warnings(case: Case, today: dt.date) -> list[str]:
    library = load_library()
    notes = process_notes(case, rules_for(library, case), today)
    return [note.text for note in notes if note.warning]


def test_bundled_profiles_load_and_the_demos_pick_theirs(cases: Path) -> None:
    library = load_library()
    assert {"generic", "illinois"} <= set(library.payer_rules)
    illinois = library.payer_rules["illinois"]
    assert illinois.contact_within_business_days == 1
    assert illinois.held_within_business_days == 3
    assert illinois.reattempts == 1 and illinois.one_p2p_per_denial
    assert not illinois.p2p_after_appeal
    assert any("nurse practitioner" in who for who in illinois.who_may_hold)
    assert any("facility" in who for who in illinois.who_may_hold)
    assert rules_for(library, load_case(cases, TEEN)) is illinois
    assert rules_for(library, load_case(cases, RA)) is library.payer_rules["generic"]


def test_a_case_without_a_profile_uses_the_generic_one(cases: Path) -> None:
    case = _edit(cases, RA, 'rules = "generic"', "")
    assert case.payer.rules == "generic"


def test_illinois_request_before_thanksgiving_is_scheduled_and_held_on_business_days(
    cases: Path,
) -> None:
    case = _edit(cases, TEEN, 'prior_p2p = "scheduled"', 'prior_p2p = "none"')
    case = _edit(cases, TEEN, "p2p_requested_on = 2026-11-18", "p2p_requested_on = 2026-11-25")
    texts = _texts(case, dt.date(2026, 11, 25))
    assert (
        "P2P requested on Wed 25 Nov 2026: the plan must call you back by Fri 27 Nov 2026, "
        "hold it by Tue 1 Dec 2026"
    ) in texts


def test_illinois_plan_that_has_not_called_back_in_a_business_day_is_flagged(
    cases: Path,
) -> None:
    case = _edit(cases, TEEN, 'prior_p2p = "scheduled"', 'prior_p2p = "none"')
    assert _warnings(case, dt.date(2026, 11, 19)) == []  # still within 1 business day
    late = _warnings(case, dt.date(2026, 11, 20))
    assert len(late) == 1 and "No call back by Thu 19 Nov 2026" in late[0]
    assert "1-800-555-0137" in late[0]


def test_illinois_booking_after_three_business_days_is_flagged(cases: Path) -> None:
    case = load_case(cases, TEEN)  # requested Wed 18, booked Thu 19: inside the limit
    assert _warnings(case, dt.date(2026, 11, 18)) == []
    late = _edit(cases, TEEN, "prior_p2p_on = 2026-11-19", "prior_p2p_on = 2026-11-24")
    warned = _warnings(late, dt.date(2026, 11, 18))
    assert len(warned) == 1
    assert (
        "after the Illinois limit of 3 business days from your request (Mon 23 Nov 2026)"
        in (warned[0])
    )


def test_illinois_booking_mentions_the_one_reattempt(cases: Path) -> None:
    texts = _texts(load_case(cases, TEEN), dt.date(2026, 11, 18))
    assert "If you miss the call, the reviewer makes 1 more attempt: stay reachable" in texts


def test_second_p2p_is_warned_against_under_one_per_denial(cases: Path) -> None:
    case = _edit(cases, TEEN, 'prior_p2p = "scheduled"', 'prior_p2p = "held"')
    warned = _warnings(case, dt.date(2026, 11, 20))
    assert warned == [
        "A P2P was already held on Thu 19 Nov 2026 for this denial: the Illinois rules allow "
        "only one — a second request goes to the appeal"
    ]


def test_no_p2p_after_an_appeal_is_filed(cases: Path) -> None:
    case = _edit(
        cases, RA, 'prior_p2p = "none"', 'prior_p2p = "none"\nappeal_filed_on = 2026-11-20'
    )
    texts = _texts(case, dt.date(2026, 11, 23))
    assert any(
        "no P2P follows an appeal" in text for text in _warnings(case, dt.date(2026, 11, 23))
    )
    assert not any(text.startswith("Ask for the P2P") for text in texts)


def test_generic_rules_give_no_invented_limits(cases: Path) -> None:
    texts = _texts(load_case(cases, RA), dt.date(2026, 11, 18))
    assert "Ask for the P2P today, and ask when the plan will hold it" in texts
    assert not any("business day" in text for text in texts)


def test_urgent_and_inpatient_cases_are_put_on_the_expedited_track(cases: Path) -> None:
    texts = _texts(load_case(cases, TEEN), dt.date(2026, 11, 18))
    assert "Urgent care: ask for an expedited review (decided within 72 hours)" in texts
    ra = load_case(cases, RA)
    assert not ra.request.needs_expedited
    inpatient = _edit(cases, RA, 'level_of_care = "Outpatient,', 'level_of_care = "Inpatient,')
    assert inpatient.request.needs_expedited and not inpatient.request.urgent


def test_unknown_profile_is_one_line_naming_the_field_and_the_choices(cases: Path) -> None:
    case = _edit(cases, RA, 'rules = "generic"', 'rules = "texas"')
    with pytest.raises(UserError) as caught:
        rules_for(load_library(), case)
    message = str(caught.value)
    assert "payer.rules" in message and "'texas'" in message
    assert "generic, illinois" in message and "\n" not in message


def test_a_users_own_profile_is_added_beside_the_bundled_ones(
    tmp_path: Path, repo_root: Path
) -> None:
    prompts = tmp_path / "prompts"
    shutil.copytree(repo_root / "prompts" / "objections", prompts / "objections")
    (prompts / "payer_rules").mkdir()
    (prompts / "payer_rules" / "ohio.toml").write_text(
        'name = "Ohio"\nheld_within_business_days = 2\n'
    )
    library = load_library(prompts)
    assert library.payer_rules["ohio"].held_within_business_days == 2
    assert "illinois" in library.payer_rules  # the bundled ones stay
    assert library.consent.ask  # consent and conduct fall back to the bundled files too


def test_a_broken_profile_names_file_and_field(tmp_path: Path, repo_root: Path) -> None:
    prompts = tmp_path / "prompts"
    shutil.copytree(repo_root / "prompts", prompts)
    path = prompts / "payer_rules" / "illinois.toml"
    path.write_text(
        path.read_text().replace("held_within_business_days = 3", "held_within_business_days = -3")
    )
    with pytest.raises(UserError) as caught:
        load_library(prompts)
    message = str(caught.value)
    assert "illinois.toml" in message and "held_within_business_days" in message
    assert "\n" not in message


def test_case_check_prints_the_rules_it_applied(
    cases: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(cases, TEEN, 'prior_p2p = "scheduled"', 'prior_p2p = "held"')
    assert main(["--cases", str(cases), "case", "check", TEEN, "--today", "2026-11-20"]) == 0
    out = capsys.readouterr().out
    assert "ready for a call (Illinois P2P rules)" in out
    assert "  ⚠ A P2P was already held on Thu 19 Nov 2026" in out
    assert "Who may take the call: the treating practitioner; a physician assistant" in out
