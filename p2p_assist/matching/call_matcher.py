"""The matcher as one call uses it: what a line says, and which cards it may raise now.

The Matcher itself is shared and stateless (tests and benches reuse one); a call adds its
own state on top: the cooldowns and limits of its gate, and the case whose facts fill the
cards. Two audio channels may hear lines at once, so the gate is guarded by a lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from p2p_assist.basics.vocabulary import Speaker
from p2p_assist.cases.model import Case
from p2p_assist.library.cards import Card, render_card
from p2p_assist.matching.gate import CallGate
from p2p_assist.matching.matcher import Matcher, MatchResult
from p2p_assist.matching.objections import ObjectionHit
from p2p_assist.matching.text import normalize
from p2p_assist.recognition.base import Word


@dataclass(frozen=True, slots=True)
class RaisedCard:
    card: Card
    hit: ObjectionHit
    times: int  # 1 the first time on this call; more means the screen bumps the card


@dataclass(frozen=True, slots=True)
class Heard:
    match: MatchResult
    raised: list[RaisedCard]
    notices: list[str]  # for the user: a library pattern switched off while matching


def span_words(text: str, hit: ObjectionHit) -> str:
    """The words of a line that raised an objection (the whole line when it has no span)."""
    return text[hit.span[0] : hit.span[1]] if hit.span[1] > hit.span[0] else text


def word_confidences(words: Sequence[Word]) -> dict[str, float]:
    """Each normalised word's confidence (the lowest, when a word was heard twice)."""
    found: dict[str, float] = {}
    for word in words:
        for token in normalize(word.text).split():
            found[token] = min(found.get(token, 1.0), word.confidence)
    return found


class CallMatcher:
    def __init__(self, matcher: Matcher, case: Case | None) -> None:
        self.matcher = matcher
        self.case = case
        self._gate = CallGate(matcher.library.objections)
        self._lock = threading.Lock()

    def hear(
        self,
        text: str,
        speaker: Speaker | None,
        stream_time: float,
        words: Sequence[Word] = (),
        may_raise: Callable[[ObjectionHit, str], bool] = lambda hit, words: True,
    ) -> Heard:
        """`words`: a final's recognised words, whose confidences the captures carry.
        `may_raise(hit, its words)`: which of the line's objections may raise a card now (a
        partial's, only once steady); the others are in the match but do not pass the gate."""
        match = self.matcher.match(text, speaker, word_confidences(words))
        with self._lock:
            admitted = [
                (hit, self._gate.admit(hit.id, stream_time))
                for hit in match.objections
                if may_raise(hit, span_words(match.text, hit))
            ]
            notices, self.matcher.notices[:] = list(self.matcher.notices), []
        objections = self.matcher.library.objections
        raised = [
            RaisedCard(render_card(objections[hit.id], self.case), hit, times)
            for hit, times in admitted
            if times
        ]
        return Heard(match, raised, notices)

    def withdraw(self, objection_id: str) -> int:
        """A card raised from a partial that the whole sentence did not bear out; how many
        earlier raises of it still stand."""
        with self._lock:
            self._gate.withdraw(objection_id)
            return self._gate.counts.get(objection_id, 0)
