"""The scripts a rehearsal follows when the case has none, and the drills.

A drill (`practice CASE --drill ID`) is one objection put several ways: the first phrasing,
then each other one as a follow-up, asked only while the answers still leave the card's
facts out. Phrasings come from the mock-call lines (prompts/mock_calls.toml) filled with the
case's facts, then from the objection's own examples; only those the matcher raises the
objection from are used, so each try is one the live call would have caught.
"""

from __future__ import annotations

from p2p_assist.cases.model import Case
from p2p_assist.library.load import Library
from p2p_assist.library.mock_lines import MockLines
from p2p_assist.matching.matcher import Matcher
from p2p_assist.mock.script import Channels, MockScript, Turn, Voices
from p2p_assist.report.mock_draft import MockDraft, check_objection_ids
from p2p_assist.report.mock_facts import fill_first, reviewer_facts, speakable
from p2p_assist.report.mock_turns import objection_turns

DRILL_TRIES = 4
REHEARSAL_VOICES = Voices(reviewer="rms", clinician="kal16")
"""The reviewer's voice in a drafted rehearsal (the clinician's is never spoken)."""


def drafted_script(draft: MockDraft) -> MockScript:
    """A drafted mock call as a rehearsal follows it, the reviewer on a speakerphone."""
    return MockScript(
        title=draft.title,
        case_id=draft.case_id,
        voices=REHEARSAL_VOICES,
        channel=Channels(),
        turns=tuple(turn.turn for turn in draft.turns),
    )


def drill_script(
    objection_id: str,
    case_id: str,
    case: Case,
    library: Library,
    lines: MockLines,
    matcher: Matcher,
) -> MockScript:
    check_objection_ids([objection_id], library, "--drill")
    objection = library.objections[objection_id]
    facts = reviewer_facts(case, case_id, lines)
    phrasings = drill_phrasings(objection_id, library, lines, facts, matcher)
    model_answer = objection_turns(objection, case, phrasings[0], facts, lines, False)[1].turn
    turns: list[Turn] = []
    for number, said in enumerate(phrasings):
        reviewer = Turn(
            speaker="reviewer",
            text=speakable(said),
            expect=(objection_id,),
            follow_up=number > 0,
        )
        turns += [reviewer, model_answer]
    return MockScript(
        title=f"Drill: {objection.title}",
        case_id=case_id,
        voices=REHEARSAL_VOICES,
        channel=Channels(),
        turns=tuple(turns),
    )


def drill_phrasings(
    objection_id: str,
    library: Library,
    lines: MockLines,
    facts: dict[str, str],
    matcher: Matcher,
) -> list[str]:
    """Up to DRILL_TRIES ways of putting the objection, each one the matcher raises it from
    (the first filled line whatever the matcher says, so a drill always has a question)."""
    table = lines.objections.get(objection_id)
    templates = [] if table is None else [*table.lines, *table.tough]
    filled = [text for text in (fill_first([t], facts) for t in templates) if text]
    filled += list(library.objections[objection_id].triggers.examples)
    raised = [
        text
        for text in dict.fromkeys(filled)
        if objection_id in {hit.id for hit in matcher.match(text, "reviewer").objections}
    ]
    if not raised:
        raised = filled[:1] or [library.objections[objection_id].title]
    return raised[:DRILL_TRIES]
