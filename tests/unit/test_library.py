"""The prompt library: the bundled files load; a broken user file gets a clear one-line error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from demo_cases import copy_demo_cases

from p2p_assist.basics.errors import UserError
from p2p_assist.cases.store import load_case, new_case
from p2p_assist.library.cards import render_card
from p2p_assist.library.load import load_library
from p2p_assist.library.model import OBJECTION_IDS
from p2p_assist.matching.matcher import Matcher


@pytest.fixture
def prompts(tmp_path: Path, repo_root: Path) -> Path:
    folder = tmp_path / "prompts"
    shutil.copytree(repo_root / "prompts", folder)
    return folder


def test_bundled_library_has_every_fixed_objection() -> None:
    library = load_library()
    assert set(OBJECTION_IDS) <= set(library.objections)
    for objection in library.objections.values():
        assert len(objection.triggers.phrases) >= 20, objection.id
        assert objection.rebuttal.questions, objection.id
    assert len(library.agenda.steps) == 7
    assert {item.id for item in library.documentation.items} >= {
        "reviewer_name", "reviewer_specialty", "criteria_set", "reference_number",
        "determination", "decision_timeline", "appeal_route",
    }  # fmt: skip


def test_benefit_exclusion_steers_to_the_exception_route() -> None:
    objection = load_library().objections["benefit_exclusion"]
    text = " ".join([objection.rebuttal.route, *objection.rebuttal.points]).lower()
    assert "benefit exception" in text and "appeal" in text


def test_card_is_filled_with_the_patients_facts(tmp_path: Path) -> None:
    library = load_library()
    case = load_case(copy_demo_cases(tmp_path, "demo-ra-biologic"), "demo-ra-biologic")
    card = render_card(library.objections["step_therapy"], case)
    joined = " ".join(card.points)
    assert "ethotrexate" in joined and "2025" in joined  # drug, dose dates from the case
    assert "{" not in joined and card.missing == []


def test_card_names_what_is_missing_instead_of_a_blank(tmp_path: Path) -> None:
    new_case(tmp_path, "bare")  # the template has no measures and no risk yet
    card = render_card(load_library().objections["severity"], load_case(tmp_path, "bare"))
    assert "severity measures" in card.missing
    assert "[missing: severity measures]" in " ".join(card.points)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("objections/severity.toml", "priority = 75", "priorty = 75", "did you mean 'priority'"),
        ("objections/severity.toml", 'raised_by = "reviewer"', 'raised_by = "payer"', "raised_by"),
        (
            "objections/severity.toml",
            "Measured severity, baseline",
            "{measurez} baseline",
            "unknown placeholder {measurez}",
        ),
        (
            "objections/severity.toml",
            'id = "severity"',
            'id = "sevurity"',
            "differs from the file name",
        ),
        ("objections/severity.toml", "[rebuttal]", "[rebuttal\n", "not valid TOML"),
        (
            "documentation.toml",
            "patterns = [\n  '",
            "patterns = [\n  '(unclosed",
            "does not compile",
        ),
    ],
)
def test_broken_prompt_file_names_file_and_field(
    prompts: Path, file: str, old: str, new: str, expected: str
) -> None:
    _replace(prompts / file, old, new)
    with pytest.raises(UserError) as caught:
        load_library(prompts)
    message = str(caught.value)
    assert expected in message
    assert file.split("/")[-1] in message
    assert "\n" not in message


def test_matcher_refuses_a_trigger_phrase_with_no_distinctive_word(prompts: Path) -> None:
    _replace(
        prompts / "objections/severity.toml",
        "[triggers]\nphrases = [",
        '[triggers]\nphrases = [\n  "the",',
    )
    library = load_library(prompts)
    with pytest.raises(UserError) as caught:
        Matcher(library)
    message = str(caught.value)
    assert "no distinctive word" in message and "severity.toml" in message
    assert "triggers.phrases[0]" in message and "\n" not in message


def test_user_can_add_an_objection_file(prompts: Path) -> None:
    (prompts / "objections" / "site_of_care.toml").write_text(
        'id = "site_of_care"\ntitle = "Site of care"\n'
        '[triggers]\nphrases = ["home infusion instead of the hospital", "site of care policy"]\n'
        '[rebuttal]\npoints = ["Why the hospital setting is needed: {risk}"]\n'
    )
    library = load_library(prompts)
    assert "site_of_care" in library.objections


def test_non_utf8_prompt_file(prompts: Path) -> None:
    (prompts / "objections" / "severity.toml").write_bytes(b'title = "caf\xe9"\n')
    with pytest.raises(UserError, match="not UTF-8"):
        load_library(prompts)


def test_consent_wording_and_conduct_come_from_the_prompt_files() -> None:
    library = load_library()
    assert library.consent.ask.rstrip().endswith("?")
    assert "transcribe" in library.consent.ask.lower()
    assert library.consent.if_no
    titles = [point.title for point in library.conduct.points]
    assert titles[:2] == ["Listen first", "Stay collegial"]
    assert library.conduct.long_turn_seconds == 60
    assert library.conduct.long_turn_reminder and library.conduct.interrupt_reminder


def test_a_user_can_reword_the_consent_question(prompts: Path) -> None:
    (prompts / "consent.toml").write_text(
        'ask = "Quick note: my software types up this call for my chart. Okay with you?"\n'
        'if_no = "No problem, I will write notes by hand."\n'
    )
    assert load_library(prompts).consent.ask.startswith("Quick note: my software")


def test_a_consent_file_without_its_no_answer_names_the_field(prompts: Path) -> None:
    (prompts / "consent.toml").write_text('ask = "Is it all right if I transcribe this call?"\n')
    with pytest.raises(UserError) as caught:
        load_library(prompts)
    message = str(caught.value)
    assert "consent.toml" in message and "if_no" in message and "\n" not in message


def test_a_hostile_reviewer_raises_the_conduct_card_and_small_talk_does_not() -> None:
    library = load_library()
    matcher = Matcher(library)
    for line in (
        "Honestly, you're wasting my time with this.",
        "Don't take that tone with me, doctor, watch your tone.",
        "This conversation is over, file your appeal.",
    ):
        assert "hostile_peer" in {hit.id for hit in matcher.match(line).objections}, line
    for line in (
        "Thanks for making the time today.",
        "No problem, take your time.",
        "I'll send the summary right after we hang up.",
    ):
        assert "hostile_peer" not in {hit.id for hit in matcher.match(line).objections}, line
    card = render_card(library.objections["hostile_peer"], None)
    text = " ".join([*card.points, card.route]).lower()
    assert "end" in text and "document" in text and "report" in text
    assert card.missing == []
