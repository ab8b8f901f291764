"""A mock call drafted from the clinician's own case: `p2p-assist mock new CASE`.

The reviewer raises what this case is likely to meet and where it is weakest: first the
objections whose cards lack facts (the gaps `case check` lists), then the ones the denial
reason itself raises, then the usual ones for the level of care. Each line comes from
`prompts/mock_calls.toml` filled with the case's own drugs, levels of care and dates: the
first the matcher raises its objection from, and every reviewer turn expects all that its
words raise, so the script's `expect` is an answer key the call can meet. The clinician's
answers are the cards' lines filled from the case: a recording to watch, a model to edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from p2p_assist.basics.errors import UserError
from p2p_assist.cases.facts import case_facts
from p2p_assist.cases.model import Case
from p2p_assist.library.cards import render_card
from p2p_assist.library.load import Library
from p2p_assist.library.mock_lines import MockLines
from p2p_assist.library.model import Determination
from p2p_assist.matching.matcher import Matcher
from p2p_assist.report.mock_facts import fill_first, reviewer_facts
from p2p_assist.report.mock_turns import (
    DraftTurn,
    closing_turns,
    objection_turns,
    opening_turns,
)

USUAL = ("alternative_treatment", "severity", "insufficient_documentation", "experimental")
USUAL_FOR_A_BED = (
    "stabilization_only",
    "alternative_treatment",
    "severity",
    "insufficient_documentation",
)
"""Asked for a residential or inpatient bed, a plan's first move is to step the patient down."""
ABOUT_THE_CASE = frozenset(
    {"step_therapy", "severity", "experimental", "alternative_treatment", "stabilization_only"}
    | {"insufficient_documentation", "proprietary_criteria", "benefit_exclusion"}
)
"""Objections about the request; the rest are about the reviewer or the call itself."""


@dataclass(frozen=True)
class MockDraft:
    title: str
    case_id: str
    objections: list[str]
    turns: list[DraftTurn] = field(default_factory=list)


def choose_objections(case: Case, library: Library, matcher: Matcher, count: int) -> list[str]:
    """Weakest first (most of the facts its card needs missing), then what the denial raises,
    then the usual for the level of care; in the call, the denial's own objections lead."""
    facts = case_facts(case)
    about = [oid for oid in library.objections if oid in ABOUT_THE_CASE]

    def gaps(objection_id: str) -> int:
        needs = library.objections[objection_id].needs
        return sum(1 for name in needs if name in facts and facts[name].missing)

    weak = sorted((oid for oid in about if gaps(oid)), key=gaps, reverse=True)
    denial = case.denial.reason.strip()
    said = [hit.id for hit in matcher.match(denial, "reviewer").objections] if denial else []
    bed = any(word in case.request.level_of_care.lower() for word in ("residential", "inpatient"))
    usual = USUAL_FOR_A_BED if bed else USUAL
    ranked = [*weak[:2], *said, *usual, *weak[2:]]
    chosen = list(dict.fromkeys(oid for oid in ranked if oid in about))[:count]
    return sorted(chosen, key=lambda oid: oid not in said)  # stable: the denial's first


def check_objection_ids(wanted: list[str], library: Library, option: str = "--objections") -> None:
    unknown = [oid for oid in wanted if oid not in library.objections]
    if unknown:
        raise UserError(
            f"{option}: no objection {unknown[0]!r} in the prompt library — "
            f"use ids from: {', '.join(sorted(library.objections))}"
        )


def draft_mock_call(
    case_id: str,
    case: Case,
    library: Library,
    lines: MockLines,
    matcher: Matcher,
    objections: list[str] | None = None,
    tough: bool = False,
) -> MockDraft:
    if objections is not None:
        check_objection_ids(objections, library)
    chosen = objections or choose_objections(case, library, matcher, 4 if tough else 3)
    facts = reviewer_facts(case, case_id, lines)
    turns = opening_turns(case, library, lines, facts)
    for number, objection_id in enumerate(chosen):
        said = reviewer_line(objection_id, lines, library, facts, matcher, tough)
        pressed = tough or number == 0  # one follow-up in a plain call, one per objection tough
        turns += objection_turns(
            library.objections[objection_id], case, said, facts, lines, pressed
        )
    weak = any(render_card(library.objections[oid], case).missing for oid in chosen)
    determination: Determination = (
        "denied" if tough else ("partially approved" if weak else "approved")
    )
    turns += closing_turns(library, lines, facts, determination)
    title = f"Mock peer to peer: {case.title or case_id}"
    return MockDraft(title, case_id, chosen, [_honest(turn, matcher) for turn in turns])


def _honest(draft: DraftTurn, matcher: Matcher) -> DraftTurn:
    """A reviewer turn expects every objection its words raise, not only the one it was
    written for: reading out a step-therapy denial raises step therapy, and the answer key
    (and the answers scored against it) should say so."""
    turn = draft.turn
    if turn.speaker != "reviewer":
        return draft
    heard = [hit.id for hit in matcher.match(turn.text, turn.speaker).objections]
    expect = tuple(dict.fromkeys([*turn.expect, *heard]))
    return DraftTurn(turn.model_copy(update={"expect": expect}), draft.comment)


def reviewer_line(
    objection_id: str,
    lines: MockLines,
    library: Library,
    facts: dict[str, str],
    matcher: Matcher,
    tough: bool,
) -> str:
    """The objection in the reviewer's words: the first filled line the matcher raises it from
    (the tough lines first with --tough), else the first filled line, else a library example."""
    table = lines.objections.get(objection_id)
    candidates = [] if table is None else [*table.lines, *table.tough]
    if tough and table is not None:
        candidates = [*table.tough, *table.lines]
    filled = [text for text in (fill_first([c], facts) for c in candidates) if text]
    for text in filled:
        if objection_id in {hit.id for hit in matcher.match(text, "reviewer").objections}:
            return text
    if filled:
        return filled[0]
    objection = library.objections[objection_id]
    return objection.triggers.examples[0] if objection.triggers.examples else objection.title
