"""Whether one answer covered what its objection's card names, and what it left out.

A rehearsal asks its follow-up only when the answer before it left facts out, and a drill
asks again, in other words, until an answer covers them.
"""

from __future__ import annotations

from dataclasses import dataclass

from p2p_assist.cases.model import Case
from p2p_assist.library.model import Objection
from p2p_assist.matching.text import normalize
from p2p_assist.report.answer_card import to_add
from p2p_assist.report.answer_facts import Terms, card_facts
from p2p_assist.report.answer_score import fact_heard

COVERED = 0.6
"""Share of the card's fact parts (names, dates, values, reasons) an answer must say to
count as covering them: a recogniser drops words, and a one-minute answer may fairly leave a
minor fact for the letter."""


@dataclass(frozen=True)
class AnswerGaps:
    said: int  # fact parts heard
    total: int  # fact parts the card names
    add: tuple[str, ...]  # what to say for each fact left out, in the case's words

    @property
    def covered(self) -> bool:
        return self.said >= COVERED * self.total


def answer_gaps(
    objection: Objection, case: Case | None, answer: str, terms: Terms | None = None
) -> AnswerGaps:
    """A case without facts is covered by any answer: nothing to press for. `terms`: the
    words said aloud for a case file's (Library.spoken_terms)."""
    facts = card_facts(objection, case, terms) if case else []
    text = normalize(answer)
    heard = [fact_heard(fact, text) for fact in facts]
    total = sum(len(fact.parts) for fact in facts)
    said = total - sum(len(one.missed) for one in heard)
    return AnswerGaps(said, total, tuple(to_add(one) for one in heard if one.missed))
