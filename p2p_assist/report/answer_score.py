"""How well the clinician answered: their own words on a saved call, scored against the case.

A pure function of the transcript's lines, the case and the library, so a practice run, a
recording transcribed later and a live call are scored alike. For each objection the
reviewer raised, the clinician's lines until the next objection (a follow-up exchange
included) are its answer; the answer is checked for the facts the card names
(answer_facts.py). Then the conduct the playbook asks for (short answers, asking for the
criteria set, the reviewer's name and specialty, the reference number and the written
rationale, not talking over the reviewer) and the call as a whole (time to the first
answer, length against the usual 5 to 20 minutes). Facts weigh most: they are what a
reviewer can approve on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from rapidfuzz import fuzz

from p2p_assist.basics.formatting import clock
from p2p_assist.cases.model import Case
from p2p_assist.library.load import Library
from p2p_assist.matching.text import normalize
from p2p_assist.report.answer_facts import CaseFact, Part, card_facts, heard
from p2p_assist.transcript.records import Utterance

ANSWER_WINDOW_SECONDS = 180.0  # an answer and one follow-up exchange; later talk is the close
USUAL_MINUTES = (5, 20)
FIRST_ANSWER_BY = 180.0  # seconds: the denial's answer belongs in the first few minutes
ONE_SENTENCE_MATCH = 60  # rapidfuzz token_set_ratio: said in other words still counts
WEIGHTS = {"facts": 0.6, "conduct": 0.3, "call": 0.1}

_ASKS: dict[str, str] = {
    "criteria_set": r"\b(which|what)\b.{0,40}\b(criteria|policy|guidelines?)\b|\bcriteria set\b",
    "reviewer_name": r"\byour (full )?name\b|\bwho (am i|is this)\b",
    "reviewer_specialty": r"\bspecialty\b|\bboard certifi",
    "reference_number": r"\breference (number|no)\b|\bcase number\b",
    "written_rationale": r"\brationale\b|\bin writing\b|\bwritten (determination|decision)\b",
}
"""What the clinician says when asking for each checklist item (normalised text)."""
_VOLUNTEERED = frozenset({"reviewer_name", "reviewer_specialty", "reference_number"})
"""Items the reviewer often says unasked: hearing them from the reviewer counts."""


@dataclass(frozen=True)
class FactHeard:
    fact: CaseFact
    missed: tuple[Part, ...]

    @property
    def said(self) -> bool:
        return not self.missed


@dataclass(frozen=True)
class AnswerHeard:
    objection_id: str
    title: str
    asked_at: float
    asked: str
    lines: list[Utterance]
    facts: list[FactHeard]

    @property
    def seconds(self) -> float:
        return sum(line.end - line.start for line in self.lines)


@dataclass(frozen=True)
class ConductCheck:
    label: str
    done: bool
    advice: str


@dataclass(frozen=True)
class AnswerScore:
    answers: list[AnswerHeard]
    conduct: list[ConductCheck]
    first_answer: float | None  # seconds into the call
    one_sentence_at: float | None
    duration: float | None
    parts: dict[str, float] = field(default_factory=dict)  # facts, conduct, call: 0 to 1

    @property
    def score(self) -> int:
        return round(100 * sum(WEIGHTS[name] * share for name, share in self.parts.items()))


def score_answers(
    lines: list[Utterance], case: Case | None, library: Library, duration: float | None
) -> AnswerScore:
    answers = [
        _answer_heard(objection_id, asked, said, case, library)
        for objection_id, (asked, said) in _answers(lines).items()
        if objection_id in library.objections
    ]
    conduct = _conduct(lines, library)
    first = min((a.lines[0].start for a in answers if a.lines), default=None)
    one_sentence = _one_sentence_at(lines, case)
    call_checks = [
        first is not None and first <= FIRST_ANSWER_BY,
        duration is not None and USUAL_MINUTES[0] * 60 <= duration <= USUAL_MINUTES[1] * 60,
    ]
    parts_all = [(f, p) for a in answers for f in a.facts for p in f.fact.parts]
    missed = sum(1 for f, p in parts_all if p in f.missed)
    return AnswerScore(
        answers,
        conduct,
        first,
        one_sentence,
        duration,
        {
            "facts": 1 - missed / len(parts_all) if parts_all else float(bool(answers)),
            "conduct": sum(c.done for c in conduct) / len(conduct),
            "call": sum(call_checks) / len(call_checks),
        },
    )


def _clinician(line: Utterance) -> bool:
    return line.speaker == "clinician" or (line.speaker is None and not line.objections)


def _answers(lines: list[Utterance]) -> dict[str, tuple[Utterance, list[Utterance]]]:
    """Per objection: the reviewer line that first raised it, and every clinician line said
    after one of its raises, until the next objection or the window closes."""
    answers: dict[str, tuple[Utterance, list[Utterance]]] = {}
    open_ids: list[str] = []
    opened_at = 0.0
    for line in lines:
        if line.objections and line.speaker != "clinician":
            open_ids = list(dict.fromkeys(hit.id for hit in line.objections))
            opened_at = line.end
            for objection_id in open_ids:
                answers.setdefault(objection_id, (line, []))
        elif _clinician(line) and line.start - opened_at <= ANSWER_WINDOW_SECONDS:
            for objection_id in open_ids:
                answers[objection_id][1].append(line)
    return answers


def _answer_heard(
    objection_id: str, asked: Utterance, said: list[Utterance], case: Case | None, library: Library
) -> AnswerHeard:
    objection = library.objections[objection_id]
    text = normalize(" ".join(line.text for line in said))
    found = card_facts(objection, case, library.spoken_terms) if case else []
    facts = [fact_heard(fact, text) for fact in found]
    return AnswerHeard(objection_id, objection.title, asked.start, asked.text, said, facts)


def fact_heard(fact: CaseFact, text: str) -> FactHeard:
    """A date or a reason said without the drug's name is not credited to that drug."""
    missed = tuple(part for part in fact.parts if not heard(part, text))
    if any(part.what == "name" for part in missed):
        missed = fact.parts
    return FactHeard(fact, missed)


def _conduct(lines: list[Utterance], library: Library) -> list[ConductCheck]:
    items = {item.id: item for item in library.documentation.items}
    spoken = [normalize(line.text) for line in lines if line.speaker == "clinician"]
    volunteered = {c.field for line in lines if line.speaker != "clinician" for c in line.captures}
    checks = [_turn_lengths(lines, library.conduct.long_turn_seconds), _no_overlaps(lines)]
    for item_id, pattern in _ASKS.items():
        if item_id not in items:
            continue
        asked = any(re.search(pattern, text) for text in spoken)
        done = asked or (item_id in _VOLUNTEERED and item_id in volunteered)
        label = f"asked for the {items[item_id].label.lower()}"
        checks.append(ConductCheck(label, done, f"ask: “{items[item_id].ask}”"))
    return checks


def _turn_lengths(lines: list[Utterance], most: float) -> ConductCheck:
    """Each unbroken run of the clinician's lines is one turn; none should run past `most`."""
    turns: list[tuple[float, float]] = []
    for line in lines:
        if line.speaker != "clinician":
            turns.append((-1.0, -1.0))
        elif turns and turns[-1][0] >= 0:
            turns[-1] = (turns[-1][0], line.end)
        else:
            turns.append((line.start, line.end))
    long = [(start, end) for start, end in turns if start >= 0 and end - start > most]
    label = f"kept each answer under {most:g} s"
    if not long:
        return ConductCheck(label, True, "")
    start, end = long[0]
    advice = f"the turn at {clock(start)} ran {end - start:.0f} s: say the facts, then stop"
    return ConductCheck(label, False, advice)


def _no_overlaps(lines: list[Utterance]) -> ConductCheck:
    for previous, line in pairwise(lines):
        turn_taken = previous.speaker == "reviewer" and line.speaker == "clinician"
        if turn_taken and line.start < previous.end - 0.3:  # word times overlap a little
            advice = f"at {clock(line.start)} you spoke over the reviewer: let them finish"
            return ConductCheck("let the reviewer finish", False, advice)
    return ConductCheck("let the reviewer finish", True, "")


def _one_sentence_at(lines: list[Utterance], case: Case | None) -> float | None:
    wanted = normalize(case.denial.one_sentence_answer) if case else ""
    if not wanted:
        return None
    for line in lines:
        if line.speaker == "clinician" and fuzz.token_set_ratio(wanted, normalize(line.text)) >= (
            ONE_SENTENCE_MATCH
        ):
            return line.start
    return None
