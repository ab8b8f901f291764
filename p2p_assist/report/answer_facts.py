"""The case facts an objection's card names, as things a clinician can be heard to say.

Each fact has parts (a drug's name, its dates, why it stopped; a measure's value; a
guideline's organisation and year), and each part has the forms a recogniser may write for
it: "2025" or "20 25" for a year, "5 point 5" or "5 5" for a reading. A part is heard when
one form is in the answer: numbers exactly, words fuzzily (rapidfuzz), because a recogniser
spells "leflunomide" as it can. A missed part comes back with the exact words to add.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from p2p_assist.cases.facts import number, short_name, short_treatment_name
from p2p_assist.cases.model import Alternative, Case, Guideline, Measure, Treatment
from p2p_assist.library.model import Objection
from p2p_assist.library.placeholders import placeholders
from p2p_assist.matching.text import normalize

WORD_MATCH = 90  # rapidfuzz partial_ratio: a recogniser's spelling of a word still counts
LONG_WORD_MATCH = 80  # a long drug name misheard ("toe toxicity") is still that name
LONG_WORD = 8
_PLAIN = frozenset(
    "about above after again alone among because before being below between daily despite "
    "during every first other since still their there these those through times twice under "
    "until weekly where which while with within would years".split()
)
FACT_KINDS = {
    "treatments": "treatments",
    "treatment_names": "treatments",
    "contraindications": "treatments",
    "measures": "measures",
    "headline_measure": "measures",
    "guidelines": "guidelines",
    "guideline_names": "guidelines",
    "alternatives": "alternatives",
}
"""Card facts a clinician can say one by one, by the kind of fact they list."""


@dataclass(frozen=True)
class Part:
    what: str  # "dates"
    forms: tuple[str, ...]  # normalised; any one heard will do
    words: str  # what to say, as the case has it
    need: int = 1  # how many of the forms must be heard (the distinctive words of a reason)


@dataclass(frozen=True)
class CaseFact:
    name: str  # "Methotrexate"
    parts: tuple[Part, ...]


Terms = Mapping[str, Sequence[str]]
"""The words a clinician says for a case file's term (Library.spoken_terms)."""


def card_facts(objection: Objection, case: Case, terms: Terms | None = None) -> list[CaseFact]:
    """The facts this objection's card names, one entry per drug, measure, guideline, option;
    a reason is heard in the case's words or in `terms`' spoken ones."""
    terms = terms or {}
    named = {*objection.needs, *objection.bullets, *placeholders(objection.say)}
    kinds = [kind for kind in dict.fromkeys(FACT_KINDS.values()) if _names(named, kind)]
    facts: list[CaseFact] = []
    for kind in kinds:
        if kind == "treatments":
            facts += [_treatment(t, terms) for t in case.treatments]
        elif kind == "measures":
            facts += [_measure(m) for m in case.measures[:2] if m.readings]
        elif kind == "guidelines":
            facts += [_guideline(g) for g in case.guidelines]
        else:
            facts += [_alternative(a, terms) for a in case.alternatives]
    return facts


def _names(named: set[str], kind: str) -> bool:
    return any(FACT_KINDS.get(name) == kind for name in named)


def heard(part: Part, answer: str) -> bool:
    """Whether enough of the part's forms are in the (normalised) answer."""
    found = sum(1 for form in part.forms if _form_heard(form, answer))
    return found >= min(part.need, len(part.forms))


def _form_heard(form: str, answer: str) -> bool:
    if len(form) < 5 or any(character.isdigit() for character in form):  # exact, as a word
        return re.search(rf"(?<![\w]){re.escape(form)}(?![\w])", answer) is not None
    wanted = LONG_WORD_MATCH if len(form) >= LONG_WORD else WORD_MATCH
    return bool(answer) and fuzz.partial_ratio(form, answer) >= wanted


def _year(value: int) -> tuple[str, ...]:
    century, rest = divmod(value, 100)
    return (str(value), f"{century} {rest}") if rest >= 10 else (str(value),)


def _date_forms(value: dt.date) -> tuple[str, ...]:
    return (*_year(value.year), value.strftime("%B").lower())


def _value_forms(value: float) -> tuple[str, ...]:
    text = number(value)
    if "." not in text:
        return (text,)
    whole, fraction = text.split(".")
    return (
        f"{whole} point {' '.join(fraction)}",
        f"{whole} point {fraction}",
        f"{whole} {fraction}",
    )


def _key_words(text: str, most: int = 6) -> tuple[str, ...]:
    """The distinctive words of a reason: long, not plain connecting words."""
    words = [w for w in normalize(text).split() if len(w) >= 5 and w not in _PLAIN]
    return tuple(dict.fromkeys(words))[:most]


def _reason_forms(text: str, terms: Terms) -> tuple[str, ...]:
    """A reason's distinctive words, then the words said aloud for them."""
    words = _key_words(text)
    spoken = [normalize(said) for word in words for said in terms.get(word, ())]
    return tuple(dict.fromkeys([*words, *spoken]))


def _clause(text: str) -> str:
    return re.split(r"[.;:]\s|\s\(", text.strip(), maxsplit=1)[0].rstrip(".")


def _treatment(treatment: Treatment, terms: Terms) -> CaseFact:
    name = short_treatment_name(treatment.name)
    parts = [Part("name", (normalize(name),), name)]
    dates = [d for d in (treatment.start, treatment.end) if d is not None]
    if dates:
        span = " – ".join(f"{d:%b %Y}" for d in dates) + ("" if treatment.end else " – now")
        forms = tuple(form for d in dates[:1] for form in _date_forms(d))
        parts.append(Part("dates", forms, span))
    reason = treatment.stopped_because if treatment.end else treatment.outcome
    reason = reason or treatment.outcome
    if _key_words(reason):
        what = "reason for stopping" if treatment.end else "outcome"
        parts.append(Part(what, _reason_forms(reason, terms), _clause(reason)))
    return CaseFact(name, tuple(parts))


def _measure(measure: Measure) -> CaseFact:
    name = short_name(measure.instrument)
    latest = measure.ordered()[-1]
    band = measure.band(latest.value)
    said = f"{number(latest.value)} on {latest.date:%-d %b %Y}" + (f" ({band})" if band else "")
    return CaseFact(name, (Part("latest value", _value_forms(latest.value), said),))


def _guideline(guideline: Guideline) -> CaseFact:
    acronym = re.search(r"\(([A-Z][A-Za-z&]{1,9})\)", guideline.organisation)
    who = acronym[1] if acronym else guideline.organisation
    forms = {normalize(who), *(_key_words(guideline.organisation, 2))}
    parts = [Part("organisation", tuple(sorted(form for form in forms if form)), who)]
    if guideline.year:
        parts.append(Part("year", _year(guideline.year), str(guideline.year)))
    return CaseFact(f"{who} {guideline.year or ''}".strip(), tuple(parts))


def _alternative(alternative: Alternative, terms: Terms) -> CaseFact:
    name = re.split(r"\s*[(,;]", alternative.option, maxsplit=1)[0]
    parts = [Part("name", (normalize(name),), name)]
    if _key_words(alternative.why_not):
        forms = _reason_forms(alternative.why_not, terms)
        parts.append(Part("reason it will not do", forms, _clause(alternative.why_not)))
    return CaseFact(name, tuple(parts))
