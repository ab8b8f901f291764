"""Context before a card: objection words inside an approval, a concession, the clinician's
question, a hypothetical or the clinician's own framing raise no card; real objections still do."""

from __future__ import annotations

import pytest

from p2p_assist.library.load import load_library
from p2p_assist.matching.context import read_cues
from p2p_assist.matching.matcher import Matcher


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_library())


def ids(matcher: Matcher, text: str, speaker: str | None = None) -> set[str]:
    return {hit.id for hit in matcher.match(text, speaker).objections}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Given her liver toxicity, I'll grant the step therapy exception.", "approval"),
        ("That's fine, the step therapy is documented.", "concession"),
        ("You're right, the chart does show an adequate trial of methotrexate.", "concession"),
        ("Are you saying she needs to try methotrexate first?", "question"),
        ("so your concern is that she hasnt tried a conventional dmard", "question"),
        (
            "If she had tried the biosimilar, she would have risked another optic neuritis.",
            "hypothetical",
        ),
        ("My patient already failed two conventional DMARDs.", "clinician"),
    ],
)
def test_an_objection_word_in_context_raises_no_card(
    matcher: Matcher, line: str, kind: str
) -> None:
    result = matcher.match(line)
    assert result.objections == []
    assert result.set_aside, "the line holds objection words; they were set aside, not missed"
    assert {cue.kind for _, cue in result.set_aside} == {kind}


def test_the_cue_that_set_a_card_aside_is_reported(matcher: Matcher) -> None:
    line = "Given her liver toxicity, I'll grant the step therapy exception."
    ((hit, cue),) = matcher.match(line).set_aside
    assert hit.id == "step_therapy"
    assert cue.words == "i will grant"
    assert line[cue.span[0] : cue.span[1]] == line.rstrip(".")


def test_before_we_can_approve_alone_raises_no_step_therapy_card(matcher: Matcher) -> None:
    """The library's "before we can approve" trigger sits inside the condition it names."""
    line = "Our policy needs a negative result within twelve months before we can approve."
    assert "step_therapy" not in ids(matcher, line)
    aside = matcher.match(line).set_aside
    assert [(hit.id, cue.kind) for hit, cue in aside] == [("step_therapy", "condition")]


@pytest.mark.parametrize(
    ("line", "objection"),
    [
        ("fair enough, but she still hasn't tried the preferred biosimilar", "step_therapy"),
        ("before we approve anything she has to fail the preferred biosimilar", "step_therapy"),
        ("Has she tried the generic first?", "step_therapy"),
        ("I can approve the biosimilar, which is clinically equivalent.", "alternative_treatment"),
        ("we would approve the generic which works the same way", "alternative_treatment"),
        ("I'm board certified in emergency medicine, not oncology.", "specialty_mismatch"),
        ("We authorized the first five days for crisis stabilization.", "stabilization_only"),
        ("Even if it were medically necessary, the plan doesn't cover it.", "benefit_exclusion"),
    ],
)
def test_real_objections_next_to_context_words_still_raise_their_card(
    matcher: Matcher, line: str, objection: str
) -> None:
    assert objection in ids(matcher, line)


def test_a_turn_of_argument_ends_the_concession(matcher: Matcher) -> None:
    conceded = "You're right, she did try the preferred biosimilar for twelve weeks."
    turned = "You're right about the scores, but she never tried the preferred biosimilar."
    assert "step_therapy" not in ids(matcher, conceded)
    assert "step_therapy" in ids(matcher, turned)


def test_a_line_known_to_be_the_reviewers_carries_no_clinician_cue() -> None:
    line = "did you get a chance to review the records i faxed yesterday"
    assert {cue.kind for cue in read_cues(line)} == {"question", "clinician"}
    assert read_cues(line, "reviewer") == []


def test_the_demo_approval_is_not_quoted_as_an_objection(matcher: Matcher) -> None:
    """The RA demo call's approval, as the script says it and as pocketsphinx heard it."""
    said = (
        "Given the liver toxicity, the sulfa allergy, and the optic neuritis, I'll grant the step"
        " therapy exception. I'm approving tocilizumab every other week for six months once the"
        " tuberculosis result arrives. Weekly dosing is not approved. So this is partially"
        " approved."
    )
    heard = (
        "given the liver toxicity the self analogy and the optical right is i'll grant the step"
        " therapy exception and the printing counseling zero mid every other week for six months"
        " line said tuberculosis result their eyes"
    )
    assert matcher.match(said).objections == []
    result = matcher.match(heard)
    assert result.objections == []
    # The false note came from "result" (an alternative_treatment trigger) inside the approval.
    assert {hit.id for hit, _ in result.set_aside} == {"step_therapy", "alternative_treatment"}
