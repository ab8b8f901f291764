"""An objection's card filled with this patient's facts.

A placeholder whose fact is missing renders as "[missing: …]" and is listed, so
the clinician sees the gap instead of a blank.
"""

from __future__ import annotations

from dataclasses import dataclass

from p2p_assist.cases.facts import Fact, case_facts, fact_bullets
from p2p_assist.cases.model import Case
from p2p_assist.library.facts_catalog import FACTS
from p2p_assist.library.model import Objection

MAX_BULLETS = 3  # a card is read at a glance mid-call; everything else is in the brief


@dataclass(frozen=True)
class Card:
    objection_id: str
    title: str
    summary: str
    points: list[str]
    questions: list[str]
    route: str
    missing: list[str]
    say: str = ""  # one line to say as it is
    bullets: tuple[str, ...] = ()  # at most MAX_BULLETS short facts
    more: int = 0  # bullets left out (they are in the brief)


class _Filler(dict[str, str]):
    def __init__(self, facts: dict[str, Fact], missing: list[str]) -> None:
        super().__init__()
        self.facts = facts
        self.missing = missing

    def __missing__(self, name: str) -> str:
        fact = self.facts.get(name)
        if fact is None or not fact.text:
            what = fact.missing[0] if fact and fact.missing else FACTS.get(name, name)
            if what not in self.missing:
                self.missing.append(what)
            return f"[missing: {what}]"
        return fact.text


def render_card(objection: Objection, case: Case | None) -> Card:
    facts = case_facts(case) if case else {}
    missing: list[str] = []
    filler = _Filler(facts, missing)
    points = [point.format_map(filler) for point in objection.rebuttal.points]
    questions = [question.format_map(filler) for question in objection.rebuttal.questions]
    say = objection.say.format_map(filler) if objection.say else objection.summary
    for name in objection.needs:
        fact = facts.get(name)
        for what in fact.missing if fact else [FACTS[name]]:
            if what not in missing:
                missing.append(what)
    bullets = [
        line for name in objection.bullets for line in (fact_bullets(case, name) if case else [])
    ]
    return Card(
        objection.id,
        objection.title,
        objection.summary,
        points,
        questions,
        objection.rebuttal.route,
        missing,
        say,
        tuple(bullets[:MAX_BULLETS]),
        max(0, len(bullets) - MAX_BULLETS),
    )
