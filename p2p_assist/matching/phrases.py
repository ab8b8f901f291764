"""Trigger phrases compiled into weighted term sets, indexed by term.

A phrase matches when its content terms are heard close together, in any order.
Each term is weighted by how few objections use it, so a phrase leans on its
distinctive words ("investigational") more than on common ones ("patient").
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from p2p_assist.matching.text import tokenize
from p2p_assist.matching.utterance import join_letters, read_terms


@dataclass(frozen=True, slots=True)
class Phrase:
    owner: str  # objection id
    text: str
    terms: tuple[str, ...]
    exclude: bool


def phrase_terms(text: str) -> tuple[str, ...]:
    terms: list[str] = []
    for term in read_terms(join_letters(tokenize(text)), lambda known: known):
        if term.text not in terms:
            terms.append(term.text)
    return tuple(terms)


def compile_phrase(owner: str, text: str, *, exclude: bool = False) -> Phrase | None:
    terms = phrase_terms(text)
    return Phrase(owner, text, terms, exclude) if terms else None


@dataclass
class PhraseIndex:
    phrases: list[Phrase]
    weights: dict[str, float]
    by_term: dict[str, list[int]]

    @classmethod
    def build(cls, phrases: Iterable[Phrase]) -> PhraseIndex:
        kept = list(phrases)
        owners_of: dict[str, set[str]] = defaultdict(set)
        for phrase in kept:
            for term in phrase.terms:
                owners_of[term].add(phrase.owner)
        owner_count = max(1, len({phrase.owner for phrase in kept}))
        weights = {
            term: 1.0 + math.log(owner_count / len(owners)) for term, owners in owners_of.items()
        }
        by_term: dict[str, list[int]] = defaultdict(list)
        for number, phrase in enumerate(kept):
            for term in phrase.terms:
                by_term[term].append(number)
        return cls(kept, weights, dict(by_term))

    def vocabulary(self) -> set[str]:
        return set(self.weights)


# Words that never identify an objection by themselves. A negated vague verb
# ("not covered", "have not reviewed") is still meaningful, so it is allowed.
FUNCTION_TERMS = frozenset(
    (
        "not only first yet before after more less still other another our enough all now up out"
        " over off"
    ).split()
)
VAGUE_TERMS = frozenset(
    (
        "need want make get go see look say think know send review cover use take give tell come"
        " work patient case right do have"
    ).split()
)


def weak_phrase(text: str) -> bool:
    """True when no term of the phrase could identify anything by itself."""
    terms = set(phrase_terms(text))
    if terms - FUNCTION_TERMS - VAGUE_TERMS:
        return False
    # A negated vague verb ("not cover", "not review") still says something.
    return not any(term.startswith("not ") and term != "not" for term in terms)
