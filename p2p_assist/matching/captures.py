"""Documentation values heard on the call: reviewer name, reference number, criteria set...

Each documentation item in the library says how it is recognised: regex patterns
with a `value` group, choices (canonical value -> phrasings, sound-alikes included,
the longest overlapping phrasing wins), or cues that only tick it off.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import regex

from p2p_assist.library.model import DocumentationItem
from p2p_assist.library.patterns import PatternGuard, choice_pattern, compile_pattern
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


@dataclass(frozen=True, slots=True)
class Capture:
    field: str
    value: str


@dataclass(frozen=True)
class _Choice:
    value: str
    pattern: regex.Pattern[str]


class CaptureExtractor:
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
        self._cues = {
            item.id: [re.compile(rf"\b{re.escape(normalize(cue))}\b") for cue in item.cues]
            for item in items
        }

    def extract(self, text: str, speaker: str | None = None) -> list[Capture]:
        spoken = spoken_digits(normalize(text))
        found: list[Capture] = []
        for item in self.items:
            if speaker is not None and item.said_by not in ("either", speaker):
                continue
            value = self._value(item, spoken)
            if value:
                found.append(Capture(item.id, value))
        return found

    def _value(self, item: DocumentationItem, spoken: str) -> str | None:
        raw = self._first_group(item.id, spoken)
        if item.kind == "choice":
            text = raw if self._patterns[item.id] else spoken
            if not text or not self._guard.search(self._any_choice[item.id], text, item.id):
                return None
            chosen = self._choose(item.id, text)
            if chosen and item.with_version:
                chosen = _with_version(chosen, spoken)
            return chosen
        if raw is not None:
            return _tidy(item.kind, raw)
        if any(cue.search(spoken) for cue in self._cues[item.id]):
            return "mentioned"
        return None

    def _first_group(self, item: str, spoken: str) -> str | None:
        for pattern in self._patterns[item]:
            match = self._guard.search(pattern, spoken, item)
            if match and match.group("value"):
                return str(match.group("value")).strip()
        return None

    def _choose(self, item: str, text: str) -> str | None:
        hits = [
            (m.start(), m.end(), order, c.value)
            for order, c in enumerate(self._choices[item])
            if (m := self._guard.search(c.pattern, text, item))
        ]
        # Drop a hit that sits inside a longer one ("approve" inside "can not approve").
        kept = [
            h
            for h in hits
            if not any(
                o[0] <= h[0] and h[1] <= o[1] and (o[1] - o[0]) > (h[1] - h[0]) for o in hits
            )
        ]
        if not kept:
            return None
        return min(kept, key=lambda hit: hit[2])[3]


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
