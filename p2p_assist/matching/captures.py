"""Documentation values heard on the call: reviewer name, reference number, criteria set...

Each documentation item in the library says how it is recognised: regex patterns
with a `value` group, choices (canonical value -> phrasings, sound-alikes included,
the longest overlapping phrasing wins), choices read with their sentence (the
determination: decision.py), or cues that only tick it off.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import regex

from p2p_assist.library.model import DocumentationItem
from p2p_assist.library.patterns import PatternGuard, choice_pattern, compile_pattern
from p2p_assist.matching.clauses import outermost
from p2p_assist.matching.decision import DecisionReader
from p2p_assist.matching.text import normalize

_NAME_STOP = frozenset(
    (
        "i im and from with at the calling here on of for medical director reviewer physician md do"
        " this speaking today"
    ).split()
)
_VERSION = re.compile(
    r"\b(?:version|edition|v)\s+(?P<v>\d+(?:\s+\d+)?)|\b(?P<year>(?:19|20)\d\d)\b|\b(?P<y2>20)\s+(?P<y3>\d\d)\b"
)


LOW_CONFIDENCE = 0.6
"""Below this a value is asked to be read back: the recogniser was unsure of its words, or
it is too short to be what it claims (a reference number missing a digit)."""
_SHORT_NUMBER = 0.5  # what a number with too few digits keeps of its confidence


@dataclass(frozen=True, slots=True)
class Capture:
    field: str
    value: str
    confidence: float = 1.0  # 0-1: the recogniser's word confidences and the value's shape
    heard: str = ""  # the words it came from, as recognised
    detail: str = ""  # what a pending determination waits for ("once the TB test is negative")

    @property
    def doubtful(self) -> bool:
        return self.confidence < LOW_CONFIDENCE


@dataclass(frozen=True)
class _Choice:
    value: str
    pattern: regex.Pattern[str]


class CaptureExtractor:
    """Library patterns are the user's to edit, so every search of one runs under a time
    guard (library/patterns.py): a pattern that backtracks for ever is switched off with a
    line to `on_notice`, never left to hang the call."""

    def __init__(
        self, items: list[DocumentationItem], on_notice: Callable[[str], None] | None = None
    ) -> None:
        self.items = items
        self._guard = PatternGuard(on_notice)
        self._patterns = {item.id: [compile_pattern(p) for p in item.patterns] for item in items}
        self._choices = {
            item.id: [
                _Choice(value, compile_pattern(choice_pattern(phrase)))
                for value, phrases in item.choices.items()
                for phrase in phrases
            ]
            for item in items
        }
        # One alternation per item rejects most utterances with a single search.
        self._any_choice = {
            item.id: compile_pattern(
                "|".join(choice_pattern(p) for ps in item.choices.values() for p in ps)
            )
            for item in items
            if item.choices
        }
        self._decisions = {
            item.id: DecisionReader(item.choices) for item in items if item.kind == "decision"
        }
        self._cues = {
            item.id: [re.compile(rf"\b{re.escape(normalize(cue))}\b") for cue in item.cues]
            for item in items
        }

    def extract(
        self,
        text: str,
        speaker: str | None = None,
        word_confidence: Mapping[str, float] | None = None,
    ) -> list[Capture]:
        """`word_confidence`: the recogniser's confidence per word of `text` (normalised),
        so a value made of doubtful words asks to be read back."""
        spoken = spoken_digits(normalize(text))
        found: list[Capture] = []
        for item in self.items:
            if speaker is not None and item.said_by not in ("either", speaker):
                continue
            if reader := self._decisions.get(item.id):
                decision = reader.read(text) if reader.mentioned(spoken) else None
                if decision:
                    found.append(
                        Capture(item.id, decision.value, heard=text, detail=decision.condition)
                    )
            elif heard := self._value(item, spoken):
                value, source = heard
                confidence = _confidence(item, value, source, word_confidence or {})
                found.append(Capture(item.id, value, confidence, source))
        return found

    def _value(self, item: DocumentationItem, spoken: str) -> tuple[str, str] | None:
        """(the value, the words it came from)."""
        raw = self._first_group(item.id, spoken)
        if item.kind == "choice":
            text = raw if self._patterns[item.id] else spoken
            if not text or not self._guard.search(self._any_choice[item.id], text, item.id):
                return None
            chosen = self._choose(item.id, text)
            if chosen and item.with_version:
                chosen = _with_version(chosen, spoken)
            return (chosen, text) if chosen else None
        if raw is not None:
            tidy = _tidy(item.kind, raw)
            return (tidy, raw) if tidy else None
        if any(cue.search(spoken) for cue in self._cues[item.id]):
            return "mentioned", spoken
        return None

    def _first_group(self, item: str, spoken: str) -> str | None:
        for pattern in self._patterns[item]:
            match = self._guard.search(pattern, spoken, item)
            if match and match.group("value"):
                return str(match.group("value")).strip()
        return None

    def _choose(self, item: str, text: str) -> str | None:
        hits = [
            (m.start(), m.end(), (order, c.value))
            for order, c in enumerate(self._choices[item])
            if (m := self._guard.search(c.pattern, text, item))
        ]
        kept = outermost(hits)  # "approve" inside "can not approve" gives way
        if not kept:
            return None
        return min(kept, key=lambda hit: hit[2][0])[2][1]


def _confidence(
    item: DocumentationItem, value: str, source: str, word_confidence: Mapping[str, float]
) -> float:
    """The least sure word of the value as the recogniser heard it, lowered further for a
    number shorter than the item allows."""
    if value == "mentioned":
        return 1.0
    words = source.split() if item.kind != "choice" else []
    confidence = min((word_confidence.get(word, 1.0) for word in words), default=1.0)
    digits = sum(char.isdigit() for char in value)
    if item.kind == "number" and digits < item.min_digits:
        confidence *= _SHORT_NUMBER
    return round(confidence, 2)


def _with_version(value: str, spoken: str) -> str:
    match = _VERSION.search(spoken)
    if not match:
        return value
    if match.group("v"):
        return f"{value} version {match.group('v').replace(' ', '.')}"
    year = match.group("year") or f"{match.group('y2')}{match.group('y3')}"
    return f"{value} {year}"


# Recognisers hear digits as their homophones: "four seven to nine won".
_DIGIT_HOMOPHONES = {"to": "2", "too": "2", "for": "4", "won": "1", "ate": "8", "oh": "0"}
_SPOKEN_RUN = re.compile(r"\b(?:\d+|to|too|for|won|ate|oh)(?:\s+(?:\d+|to|too|for|won|ate|oh)\b)+")


def spoken_digits(spoken: str) -> str:
    """Inside a run of digits, read homophones as digits ("4 7 to 9" -> "4 7 2 9")."""

    def fix(match: re.Match[str]) -> str:
        words = match.group().split()
        if sum(word.isdigit() for word in words) < 2:
            return match.group()
        return " ".join(_DIGIT_HOMOPHONES.get(word, word) for word in words)

    return _SPOKEN_RUN.sub(fix, spoken)


def _tidy(kind: str, raw: str) -> str | None:
    if kind == "number":
        return re.sub(r"\s+", "", raw).upper()
    if kind == "name":
        words = raw.split()
        while words and words[-1] in _NAME_STOP:
            words.pop()
        return " ".join(word.capitalize() for word in words) or None
    return raw
