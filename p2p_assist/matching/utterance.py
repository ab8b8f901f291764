"""Text turned into terms at content-word positions, the same way for phrases and speech.

- Negation is scoped: "not" joins the next content word ("does not cover" -> "not
  cover"), so a negated word never counts as the plain word.
- Spelled-out letters are joined ("i o p" -> "iop"), as recognisers write acronyms.
- Recognisers misspell jargon and split words ("inter qual"), so each heard word is
  mapped onto the library's vocabulary exactly when it can be, else by rapidfuzz
  similarity, and adjacent words are also tried joined.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from p2p_assist.matching.numbers import TENS, UNITS
from p2p_assist.matching.terms import is_content, stem
from p2p_assist.matching.text import Token, tokenize

FUZZY_CUTOFF = 86.0
FUZZY_MIN_LENGTH = 5
NEGATORS = frozenset({"not", "no", "never", "without"})
JOIN_MAX_PART = 5  # recognisers split unknown words into short pieces
NEGATION_REACH = 3  # tokens a negation may look ahead for its word
# "do not have the notes" (reviewer lacks them) differs from "no notes" (none exist).
HAVE_FORMS = frozenset({"have", "has", "had", "having", "got", "get", "gotten"})
_DIGIT_WORDS = {word: str(value) for word, value in {**UNITS, **TENS}.items() if word != "oh"}


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    token: int  # index of the token it ends on


def join_letters(tokens: list[Token]) -> list[Token]:
    """Merge runs of two or more single letters into one token ("p h q a" -> "phqa")."""
    out: list[Token] = []
    run: list[Token] = []
    for token in [*tokens, Token("", 0, 0)]:
        if len(token.text) == 1 and token.text.isalpha():
            run.append(token)
            continue
        if len(run) >= 2:
            out.append(Token("".join(t.text for t in run), run[0].start, run[-1].end))
        else:
            out.extend(run)
        run = []
        if token.text:
            out.append(token)
    return out


def read_terms(tokens: list[Token], canon: Callable[[str], str | None]) -> list[Term]:
    """Content terms in order; `canon` maps a stem into the vocabulary (or drops it)."""
    terms: list[Term] = []
    pending_not = -1  # token index of a negation still looking for its word
    for index, token in enumerate(tokens):
        word = _DIGIT_WORDS.get(token.text, token.text)
        if word in NEGATORS:
            if pending_not >= 0:
                _emit(terms, "not", pending_not, canon)
            pending_not = index
            continue
        if pending_not >= 0 and index - pending_not > NEGATION_REACH:
            _emit(terms, "not", pending_not, canon)
            pending_not = -1
        if pending_not >= 0 and word in HAVE_FORMS:
            _emit(terms, "not have", index, canon)
            pending_not = -1
            continue
        if not is_content(word):
            continue
        known = canon(stem(word))
        if pending_not >= 0:
            if known is not None:
                _emit(terms, f"not {known}", index, canon)
            pending_not = -1
        elif known is not None:
            terms.append(Term(known, index))
    if pending_not >= 0:
        _emit(terms, "not", pending_not, canon)
    return terms


def _emit(terms: list[Term], text: str, index: int, canon: Callable[[str], str | None]) -> None:
    if (known := canon(text)) is not None:
        terms.append(Term(known, index))


@dataclass(frozen=True, slots=True)
class ParsedText:
    tokens: list[Token]
    terms: list[Term]
    positions: dict[str, list[int]]  # term -> ordinals in `terms`

    def char_span(self, first: int, last: int) -> tuple[int, int]:
        """Characters covered by the terms at ordinals first..last."""
        return self.tokens[self.terms[first].token].start, self.tokens[self.terms[last].token].end


class Vocabulary:
    """The terms the library knows, and a cached fuzzy lookup into them."""

    def __init__(self, terms: set[str]) -> None:
        self.terms = frozenset(terms)
        self._fuzzy_pool = sorted(
            t for t in terms if len(t) >= FUZZY_MIN_LENGTH - 1 and " " not in t
        )
        self.lookup = lru_cache(maxsize=16384)(self._lookup)

    def _lookup(self, term: str) -> str | None:
        if term in self.terms:
            return term
        if len(term) < FUZZY_MIN_LENGTH or " " in term or not self._fuzzy_pool:
            return None
        best = process.extractOne(
            term, self._fuzzy_pool, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
        )
        return best[0] if best else None

    def read(self, text: str) -> ParsedText:
        tokens = join_letters(tokenize(text))
        terms = read_terms(tokens, self.lookup)
        terms.extend(self._joined(tokens))
        terms.sort(key=lambda term: term.token)
        positions: dict[str, list[int]] = defaultdict(list)
        for ordinal, term in enumerate(terms):
            positions[term.text].append(ordinal)
        return ParsedText(tokens, terms, dict(positions))

    def _joined(self, tokens: list[Token]) -> list[Term]:
        """'inter qual' -> 'interqual': recognisers split words they do not know."""
        found = []
        words = [token.text for token in tokens]
        for size in (2, 3):
            for start in range(len(words) - size + 1):
                parts = words[start : start + size]
                if any(len(part) > JOIN_MAX_PART for part in parts):
                    continue
                joined = stem("".join(parts))
                if joined in self.terms:
                    found.append(Term(joined, start + size - 1))
        return found
