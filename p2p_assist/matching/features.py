"""Features of an utterance for the learned layer: its terms and adjacent term pairs."""

from __future__ import annotations

from itertools import pairwise

from p2p_assist.matching.utterance import ParsedText


def features(utterance: ParsedText) -> list[str]:
    terms = [term.text for term in utterance.terms]
    found = set(terms)
    found.update(f"{a}|{b}" for a, b in pairwise(terms) if a != b)
    return sorted(found)
