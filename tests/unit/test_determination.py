"""The determination is read from the whole sentence: conditional and future approvals are
not approvals, negated approvals are denials, questions and hypotheticals say nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from p2p_assist.library.load import load_library
from p2p_assist.matching.captures import Capture
from p2p_assist.matching.evaluation import evaluate_determinations, load_labelled
from p2p_assist.matching.matcher import Matcher


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_library())


def determination(matcher: Matcher, line: str) -> Capture | None:
    return next((c for c in matcher.match(line).captures if c.field == "determination"), None)


def value(matcher: Matcher, line: str) -> str | None:
    heard = determination(matcher, line)
    return heard.value if heard else None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("We can approve once the TB test is negative.", "pending"),
        ("If you send the last two progress notes, we could approve it.", "pending"),
        ("I need the last two weeks of progress notes before I can approve anything.", "pending"),
        ("We cannot authorize it until the sleep study is done.", "pending"),
        ("Send me the echo report and I'll approve it.", "pending"),
        ("I'm going to uphold the denial.", "denied"),
        ("I'll approve it today.", "approved"),
        ("I'm going to authorize the admission.", "approved"),
        ("I'm not able to approve this.", "denied"),
        ("I'm not going to uphold the denial.", "approved"),
        ("I can't approve residential, but I can authorize 7 days of PHP.", "partially approved"),
        ("I'm going to pend this and get back to you tomorrow.", "pending"),
    ],
)
def test_a_decision_is_read_with_its_sentence(matcher: Matcher, line: str, expected: str) -> None:
    assert value(matcher, line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Can you approve it today?",
        "If she had tried two DMARDs first, I could have approved it.",
        "We would approve the biosimilar, which is clinically equivalent.",
        "The last reviewer approved the first five days.",
        "It's not FDA approved for children under twelve.",
        "I'm board certified in family medicine.",
    ],
)
def test_questions_hypotheticals_offers_and_reports_are_no_determination(
    matcher: Matcher, line: str
) -> None:
    assert determination(matcher, line) is None


def test_a_conditional_approval_keeps_its_condition(matcher: Matcher) -> None:
    heard = determination(matcher, "We can approve once the TB test is negative.")
    assert heard is not None
    assert (heard.value, heard.detail) == ("pending", "once the tb test is negative")


def test_the_demo_conditional_approval_is_pending_not_approved(matcher: Matcher) -> None:
    """The RA demo call, as the script says it and as pocketsphinx heard it ("of four")."""
    said = (
        "One more thing. I don't see a tuberculosis test in the file. Our policy needs a"
        " negative result within twelve months before we can approve."
    )
    heard = (
        "one more thing i don't see it tuberculosis test in the file our policy needs a negative"
        " result with intel months of four we can approve"
    )
    capture = determination(matcher, said)
    assert capture is not None
    assert (capture.value, capture.detail) == (
        "pending",
        "our policy needs a negative result within 12 months",
    )
    assert value(matcher, heard) == "pending"
    # On its own channel the recogniser heard "within twelve" as "but then brown".
    heard_alone = (
        "one marking i don't see it tuberculosis test in the file our policy needs a negative"
        " result but then brown months of four we can approve"
    )
    assert value(matcher, heard_alone) == "pending"


def test_a_need_said_first_holds_back_the_approval_that_follows(matcher: Matcher) -> None:
    line = "She has to fail methotrexate first. Then we can approve the biologic."
    capture = determination(matcher, line)
    assert capture is not None
    assert (capture.value, capture.detail) == ("pending", "she has to fail methotrexate first")
    assert value(matcher, "I reviewed everything you sent. We can approve the stay.") == "approved"


def test_the_demo_partial_approval_stays_partial(matcher: Matcher) -> None:
    line = (
        "I'm approving tocilizumab every other week for six months once the tuberculosis result"
        " arrives. Weekly dosing is not approved. So this is partially approved."
    )
    assert value(matcher, line) == "partially approved"
    assert value(matcher, "weekly does thing is not approved said this is partially approved") == (
        "partially approved"
    )


def test_held_out_conditional_and_future_phrasings_stay_above_the_target(
    matcher: Matcher, repo_root: Path
) -> None:
    """The held-out set (bench/data) was written before tuning and is never tuned on; the
    bench prints the per-kind table (python bench/context_quality.py)."""
    rows = load_labelled(repo_root / "bench/data/determination_holdout.jsonl")
    scores = evaluate_determinations(matcher, rows)
    assert scores.total["conditional"] + scores.total["future"] >= 30
    assert scores.accuracy(("conditional", "future")) >= 0.95
