"""The turns of a drafted mock call, in the order a peer-to-peer runs: introductions, the
patient, the denial, each objection and its answer, the criteria, the determination and the
paperwork (reference number, written rationale, appeal route)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from p2p_assist.cases.facts import fact_bullets
from p2p_assist.cases.model import Case
from p2p_assist.library.cards import render_card
from p2p_assist.library.load import Library
from p2p_assist.library.mock_lines import MockLines
from p2p_assist.library.model import Determination, Objection
from p2p_assist.mock.script import Turn
from p2p_assist.report.mock_facts import fill_first, speakable

ANSWER_BULLETS = 2  # a first answer says the strongest facts; the follow-up gets the rest
UNKNOWN_ANSWER = "I don't have that in front of me. I'll send it in writing after the call."


@dataclass(frozen=True)
class DraftTurn:
    turn: Turn
    comment: str  # what the turn is for, written above it in the file


def _turn(
    speaker: Literal["reviewer", "clinician"],
    text: str,
    comment: str,
    expect: tuple[str, ...] = (),
    captures: dict[str, str] | None = None,
    follow_up: bool = False,
) -> DraftTurn:
    turn = Turn(
        speaker=speaker,
        text=speakable(text),
        expect=expect,
        captures=captures or {},
        follow_up=follow_up,
    )
    return DraftTurn(turn, comment)


def _ask(library: Library, item_id: str) -> str:
    return next(item.ask for item in library.documentation.items if item.id == item_id)


def opening_turns(
    case: Case, library: Library, lines: MockLines, facts: dict[str, str]
) -> list[DraftTurn]:
    reviewer = lines.reviewer
    surname = reviewer.name.split()[-1]
    me = case.clinician.name.replace("Dr.", "Doctor").strip() or "the treating doctor"
    specialty = fill_first(reviewer.specialty, facts) or "I'm board certified in internal medicine."
    request = ", ".join(part for part in (facts.get("service"), case.request.frequency) if part)
    diagnosis = f" with {facts['diagnosis']}" if "diagnosis" in facts else ""
    answer = case.denial.one_sentence_answer or (
        "I'd like to walk you through why this request meets your criteria."
    )
    return [
        _turn(
            "reviewer",
            fill_first(reviewer.opening, facts) or f"Hello, this is Doctor {reviewer.name}.",
            "Opening: the reviewer introduces themselves (the name to capture).",
            captures={"reviewer_name": reviewer.name},
        ),
        _turn(
            "clinician",
            f"Thank you for calling, Doctor {surname}. This is {me}. "
            f"Before we start, {_ask(library, 'reviewer_specialty').lower()}",
            "Ask who is reviewing: name, specialty, board certification.",
        ),
        _turn(
            "reviewer",
            specialty,
            "The reviewer's specialty (to capture).",
            captures=_specialty(specialty, library),
        ),
        _turn(
            "clinician",
            f"My patient is a {case.patient.describe()}{diagnosis}. "
            f"I'm asking for {request or 'the service in the request'}.",
            "Present the patient and the request in two sentences.",
        ),
        _turn(
            "reviewer",
            fill_first(reviewer.denial, facts) or "I have the denial in front of me.",
            "The denial reason, in the letter's words.",
        ),
        _turn("clinician", answer, "The one-sentence answer to the denial ([denial] in the case)."),
    ]


def _specialty(said: str, library: Library) -> dict[str, str]:
    """The checklist value the reviewer's words should fill, when the library knows it."""
    item = next(item for item in library.documentation.items if item.id == "reviewer_specialty")
    known = sorted(item.choices, key=len, reverse=True)
    heard = next((value for value in known if value in said.lower()), None)
    return {"reviewer_specialty": heard} if heard else {}


def objection_turns(
    objection: Objection,
    case: Case,
    said: str,
    facts: dict[str, str],
    lines: MockLines,
    pressed: bool,
) -> list[DraftTurn]:
    card = render_card(objection, case)
    gap = f" The case is missing: {'; '.join(card.missing)}." if card.missing else ""
    say = UNKNOWN_ANSWER if "[missing:" in card.say else card.say
    bullets = [
        bullet
        for name in objection.bullets
        for bullet in fact_bullets(case, name)
        if bullet not in say  # the card's line already says the headline fact
    ]
    turns = [
        _turn(
            "reviewer",
            said,
            f"Objection: {objection.title}.{gap}",
            expect=(objection.id,),
        ),
        _turn(
            "clinician",
            " ".join([say, *(_sentence(b) for b in bullets[:ANSWER_BULLETS])]),
            "Your answer: the card's line and its strongest facts. Say dates, values, sources.",
        ),
    ]
    table = lines.objections.get(objection.id)
    pressing = fill_first(table.follow_up, facts) if table and pressed else None
    if pressing:
        rest = bullets[ANSWER_BULLETS : ANSWER_BULLETS + 3]
        more = " ".join(_sentence(b) for b in rest) or (card.questions[:1] or [UNKNOWN_ANSWER])[0]
        turns += [
            _turn(
                "reviewer",
                pressing,
                "Follow-up: the reviewer presses for detail (in a rehearsal, only when your "
                "answer left facts out).",
                follow_up=True,
            ),
            _turn("clinician", more, "Your answer to the follow-up."),
        ]
    return turns


def _sentence(bullet: str) -> str:
    text = bullet.strip().rstrip(".")
    return f"{text}." if text else ""


def closing_turns(
    library: Library, lines: MockLines, facts: dict[str, str], determination: Determination
) -> list[DraftTurn]:
    reviewer = lines.reviewer
    reference = fill_first(reviewer.reference, facts) or ""
    turns = [
        _turn("clinician", _ask(library, "criteria_set"), "Ask which criteria set and version."),
        _turn(
            "reviewer",
            fill_first(reviewer.criteria, facts) or "We applied our own medical policy.",
            "The criteria set (to capture).",
        ),
        _turn(
            "reviewer",
            reviewer.determination.get(determination, f"The request is {determination}."),
            f"The determination: {determination}.",
            captures={"determination": determination},
        ),
        _turn(
            "clinician",
            f"{_ask(library, 'reference_number')} {_ask(library, 'written_rationale')}",
            "Ask for the reference number and the written rationale.",
        ),
        _turn(
            "reviewer",
            f"{reference} {reviewer.letter}",
            "The reference number (to capture) and when the letter comes.",
            captures={"reference_number": facts["reference"].replace(" ", "")},
        ),
    ]
    if determination != "approved":
        turns += [
            _turn("clinician", _ask(library, "appeal_route"), "Ask the appeal route."),
            _turn("reviewer", reviewer.appeal, "The appeal route."),
        ]
    surname = reviewer.name.split()[-1]
    turns += [
        _turn("clinician", f"Thank you, Doctor {surname}.", "Close politely."),
        _turn("reviewer", reviewer.closing, "The end of the call."),
    ]
    return turns
