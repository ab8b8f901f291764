"""The rule layer: score an utterance against every objection's trigger phrases.

Short phrases behave as concept rules (all their words must be heard within a
small window); long phrases may miss a word. Exclusions veto the phrases they
overlap, and a phrase right after "not" is ignored unless it says "not" itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from p2p_assist.basics.errors import file_error
from p2p_assist.library.model import Objection
from p2p_assist.matching.phrases import Phrase, PhraseIndex, compile_phrase, weak_phrase
from p2p_assist.matching.utterance import ParsedText

RULE_THRESHOLD = 75.0


@dataclass(frozen=True, slots=True)
class ObjectionHit:
    id: str
    score: float
    span: tuple[int, int]  # characters of the utterance that raised it
    phrase: str


@dataclass(frozen=True, slots=True)
class _Window:
    first: int
    last: int
    coverage: float
    found: int


def compile_triggers(objections: list[Objection], folder: Path) -> PhraseIndex:
    """`folder`: where the objection files live, named in the error for a phrase too weak to use."""
    compiled: list[Phrase] = []
    for objection in objections:
        _refuse_weak_phrases(objection, folder / f"{objection.id}.toml")
        for text in objection.triggers.phrases:
            if phrase := compile_phrase(objection.id, text):
                compiled.append(phrase)
        for text in objection.triggers.exclude:
            if phrase := compile_phrase(objection.id, text, exclude=True):
                compiled.append(phrase)
    return PhraseIndex.build(compiled)


def _refuse_weak_phrases(objection: Objection, path: Path) -> None:
    for number, phrase in enumerate(objection.triggers.phrases):
        if weak_phrase(phrase):
            raise file_error(
                path,
                f"'{phrase}' has no distinctive word and would match almost anything",
                "add a word that carries the meaning",
                f"triggers.phrases[{number}]",
            )


class TriggerRules:
    def __init__(self, objections: list[Objection], index: PhraseIndex) -> None:
        self.objections = {objection.id: objection for objection in objections}
        self.index = index

    def match(self, utterance: ParsedText) -> list[ObjectionHit]:
        candidates = {
            number for term in utterance.positions for number in self.index.by_term.get(term, ())
        }
        vetoes: dict[str, list[tuple[int, int]]] = {}
        scored: list[tuple[Phrase, _Window]] = []
        for number in candidates:
            phrase = self.index.phrases[number]
            window = self._window(phrase, utterance)
            if window is None:
                continue
            if phrase.exclude:
                vetoes.setdefault(phrase.owner, []).append((window.first, window.last))
            else:
                scored.append((phrase, window))
        best: dict[str, ObjectionHit] = {}
        for phrase, window in scored:
            if self._vetoed(window, vetoes.get(phrase.owner, [])):
                continue
            hit = self._hit(phrase, window, utterance)
            current = best.get(hit.id)
            if hit.score >= RULE_THRESHOLD and (current is None or hit.score > current.score):
                best[hit.id] = hit
        return list(best.values())

    def _window(self, phrase: Phrase, utterance: ParsedText) -> _Window | None:
        weights = self.index.weights
        present = [term for term in phrase.terms if term in utterance.positions]
        needed = len(phrase.terms) - (len(phrase.terms) - 1) // 3
        if phrase.exclude:
            needed = len(phrase.terms)
        if len(present) < needed:
            return None
        total = sum(weights[term] for term in phrase.terms)
        coverage = sum(weights[term] for term in present) / total
        if coverage < 0.75:
            return None
        first, last = _tightest(present, utterance.positions)
        if last - first + 1 > _max_span(len(phrase.terms)):
            return None
        return _Window(first, last, coverage, len(present))

    @staticmethod
    def _vetoed(window: _Window, vetoes: list[tuple[int, int]]) -> bool:
        return any(first <= window.last and window.first <= last for first, last in vetoes)

    @staticmethod
    def _hit(phrase: Phrase, window: _Window, utterance: ParsedText) -> ObjectionHit:
        slack = (window.last - window.first + 1) - window.found
        score = 100.0 * window.coverage - 3.0 * max(0, slack)
        return ObjectionHit(
            phrase.owner,
            round(max(score, 0.0), 1),
            utterance.char_span(window.first, window.last),
            phrase.text,
        )


def _max_span(term_count: int) -> int:
    """Content words a phrase may spread over: one stray word per two of its own."""
    return term_count + max(1, term_count // 2) if term_count > 1 else 1


def _tightest(terms: list[str], positions: dict[str, list[int]]) -> tuple[int, int]:
    """The smallest token window holding at least one position of every term."""
    events = sorted((pos, term) for term in terms for pos in positions[term])
    need = len(terms)
    counts: dict[str, int] = {}
    best = (events[0][0], events[-1][0])
    left = 0
    for right_pos, right_term in events:
        counts[right_term] = counts.get(right_term, 0) + 1
        while len(counts) == need:
            left_pos, left_term = events[left]
            if right_pos - left_pos < best[1] - best[0]:
                best = (left_pos, right_pos)
            counts[left_term] -= 1
            if counts[left_term] == 0:
                del counts[left_term]
            left += 1
    return best
