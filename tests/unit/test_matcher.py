"""The matcher: objections with spans, captures, speech-style text, per-call limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from p2p_assist.library.load import load_library
from p2p_assist.library.model import OBJECTION_IDS
from p2p_assist.matching.evaluation import evaluate, load_labelled
from p2p_assist.matching.gate import CallGate
from p2p_assist.matching.matcher import Matcher
from p2p_assist.matching.text import normalize


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_library())


def ids(matcher: Matcher, text: str, speaker: str | None = None) -> set[str]:
    return {hit.id for hit in matcher.match(text, speaker).objections}  # type: ignore[arg-type]


def test_normalises_the_way_recognisers_write() -> None:
    assert normalize("She DOESN'T meet InterQual's criteria; ref # four seven two.") == (
        "she does not meet interqual criteria ref 4 7 2"
    )
    assert normalize("shes not stable, cant go home") == "she not stable can not go home"


def test_span_points_at_the_words_that_raised_it(matcher: Matcher) -> None:
    text = "Thanks for holding. Honestly this drug is investigational for her diagnosis."
    hit = next(h for h in matcher.match(text).objections if h.id == "experimental")
    assert "investigational" in text[hit.span[0] : hit.span[1]]


def test_multi_label(matcher: Matcher) -> None:
    found = ids(
        matcher, "I'm a family physician and I only have the nurse's summary in front of me."
    )
    assert {"specialty_mismatch", "records_not_reviewed"} <= found


def test_recogniser_misspellings_and_split_words(matcher: Matcher) -> None:
    assert "proprietary_criteria" in ids(matcher, "per inter qual criteria she does not qualify")
    assert "alternative_treatment" in ids(
        matcher, "she could go to an i o p three days a week instead"
    )


def test_negated_phrase_does_not_count_as_the_plain_one(matcher: Matcher) -> None:
    assert "experimental" not in ids(matcher, "this is not experimental it is standard care")


@pytest.mark.parametrize(
    "line",
    [
        "Good morning, can you hear me all right?",
        "Let me pull up the file, one moment.",
        "Thanks so much for your time today, have a good weekend.",
        "What's the best fax number for your office?",
    ],
)
def test_small_talk_and_logistics_raise_nothing(matcher: Matcher, line: str) -> None:
    assert ids(matcher, line) == set()


def test_clinician_lines_do_not_raise_reviewer_cards(matcher: Matcher) -> None:
    assert (
        ids(matcher, "Honestly this drug is investigational for her diagnosis.", "clinician")
        == set()
    )


def test_captures_documentation_values(matcher: Matcher) -> None:
    result = matcher.match(
        "hi this is doctor lisa chen the reference number is four seven two nine one"
    )
    values = {c.field: c.value for c in result.captures}
    assert values["reviewer_name"] == "Lisa Chen"
    assert values["reference_number"] == "47291"


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        ("We use inter qual twenty twenty five for this", "criteria_set", "InterQual 2025"),
        ("I'm going to uphold the denial today.", "determination", "denied"),
        (
            "I can't approve residential, but I can authorize seven days of PHP.",
            "determination",
            "partially approved",
        ),
        ("I'll go ahead and overturn the denial.", "determination", "approved"),
        (
            "The letter will go out within two business days.",
            "decision_timeline",
            "2 business days",
        ),
        ("You can request an expedited appeal by phone.", "appeal_route", "expedited appeal"),
        ("My background is in emergency medicine.", "reviewer_specialty", "emergency medicine"),
    ],
)
def test_capture_fields(matcher: Matcher, line: str, field: str, value: str) -> None:
    assert {c.field: c.value for c in matcher.match(line).captures}.get(field) == value


def test_gate_enforces_cooldown_and_once_per_call() -> None:
    library = load_library()
    gate = CallGate(library.objections)
    cooldown = library.objections["severity"].cooldown_seconds
    assert gate.admit("severity", 0.0)
    assert not gate.admit("severity", cooldown / 2)
    assert gate.admit("severity", cooldown + 1)
    assert library.objections["benefit_exclusion"].once_per_call
    assert gate.admit("benefit_exclusion", 0.0)
    assert not gate.admit("benefit_exclusion", 10_000.0)


def test_dev_set_quality_floor(matcher: Matcher, repo_root: Path) -> None:
    """The labelled dev set (tests/data) must stay above a floor; bench/ prints the full table."""
    scores = evaluate(matcher, load_labelled(repo_root / "tests/data/reviewer_lines_dev.jsonl"))
    assert scores.f1() >= 0.85
    assert scores.precision() >= 0.85
    assert all(scores.recall(label) >= 0.6 for label in OBJECTION_IDS)
