"""The determination, read from the whole sentence that states it.

The library lists the words of each outcome (documentation.toml, item `determination`);
this module reads how each is framed, because the words alone mislead: "our policy needs a
negative result before we can approve" holds "we can approve" and is no approval.

- Approvals (and partial approvals) count when someone decides: "I" or "we" before the
  verb ("I'm approving", "we'll authorize", "I can certify"), a passive ("the request is
  approved"), "you have your approval", "the decision is to overturn". A future that commits
  the speaker ("I'll approve it today", "I'm going to authorize") is an approval: the
  reviewer has decided and only the paperwork is ahead.
- A negation makes it a denial ("I'm not able to approve", "no way I can authorize").
- A condition or a requirement makes it pending, the condition kept when short: "we can
  approve once the TB test is negative", "if you send the notes we could approve", "send me
  the MRI and I'll approve it", "she has to fail the biosimilar, then we can approve".
- "would", "could", "might" without a condition is a possibility, not a decision; so are a
  question, a counterfactual ("I could have approved it if...") and an approval of an
  alternative ("we can approve the biosimilar"), which is an objection.
- Denials count unless asked about or negated ("not going to uphold the denial" approves);
  "I'd have to uphold the denial" is how reviewers soften a denial, and stays one.

One line may say several: an explicit partial approval, or an approval and a denial
together ("can't approve residential, but I can authorize PHP"), is partially approved; any
pending reading then wins over a plain approval or denial.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from p2p_assist.matching.clauses import PRONOUNS, joined_words, outermost, read_sentences
from p2p_assist.matching.framing import (
    COUNTERFACTUAL,
    IMPERATIVE,
    REQUIREMENT,
    SECOND_CONDITIONAL,
    conditions,
    deciding,
    decision_verb,
    hedged,
    is_offer,
    negated,
    subject_before,
)
from p2p_assist.matching.numbers import words_to_digits

APPROVED, PARTIAL, DENIED, PENDING = "approved", "partially approved", "denied", "pending"
CONDITION_WORDS = 14  # a longer condition is not "simple": the value is kept, the words not
_AFTER_REACH = 8  # words after the verb a condition may start and still hold it back
_APPROVAL_NOUN = re.compile(
    r"\byou (?:have|will have|will get|have got) (?:an |the |your )?approval"
    r"|\b(?:i|we) (?:\w+ ){0,3}?(?:give|issue|send) (?:you )?(?:an |the |your )?approval"
    r"|\b(?:that|this|it) is (?:an |your )?approval"
    r"|\bapproval (?:is|goes|will|would|depends|has been|hinges)\b"
)
# What follows a requirement: "then we can approve", "after that we can authorize".
_SEQUEL = re.compile(r"^(?:but |and |so )?(?:then|after that|at that point|once we do)\b|\bthen\b")
_LEAD_IN = frozenset(
    "before then and so until once this it that will be is can could the request".split()
)
_DETERMINERS = frozenset({"the", "our", "my", "your", "this", "her", "his", "their", "a"})
_OPENERS = frozenset({"yes", "so", "okay", "ok", "but", "and", "then", "well"})
_DECISION_FRAME = re.compile(r"\bdecision (?:today )?is to\b")
_FDA = re.compile(r"\bfda\b|\bapproved for (?:use|children|kids|adults|patients|this indication)\b")


@dataclass(frozen=True, slots=True)
class Decision:
    value: str  # approved | partially approved | denied | pending
    condition: str  # what a pending approval waits for, when simply said; else ""


@dataclass(frozen=True, slots=True)
class _Said:
    value: str
    first: int  # word indices of the phrase in the sentence
    last: int


@dataclass(frozen=True, slots=True)
class _Line:
    """One sentence with its numbers as digits, as the library's phrases are written."""

    texts: list[str]
    joined: str
    owner: list[int]  # for each character of `joined`, the index of its word
    question: bool
    required_before: str | None  # what the sentence before said was needed, if it said so


class DecisionReader:
    def __init__(self, choices: dict[str, list[str]]) -> None:
        self._phrases = [
            (value, re.compile(rf"\b(?:{phrase})\b"))
            for value, phrases in choices.items()
            for phrase in phrases
        ]
        every = "|".join(rf"\b(?:{phrase})\b" for phrases in choices.values() for phrase in phrases)
        self._any = re.compile(every or r"(?!)")

    def mentioned(self, spoken: str) -> bool:
        """One search over the normalised line rules out most lines before they are read."""
        return bool(self._any.search(spoken))

    def read(self, text: str) -> Decision | None:
        readings: list[Decision] = []
        required: str | None = None
        for sentence in read_sentences(text):
            texts = words_to_digits(sentence.texts)
            line = _Line(texts, *joined_words(texts), sentence.question, required)
            said = self._said(line)
            readings += [r for r in (_reading(one, line) for one in said) if r is not None]
            # "She has to fail methotrexate first. Then we can approve": the need carries over.
            needed = REQUIREMENT.search(line.joined)
            required = _simple(_trimmed(texts)) if needed and not said else None
        return _combined(readings)

    def _said(self, line: _Line) -> list[_Said]:
        """Every phrase found, less those inside a longer one ("approved" in "partially
        approved")."""
        found = [
            (match.start(), match.end(), value)
            for value, pattern in self._phrases
            for match in pattern.finditer(line.joined)
        ]
        return [
            _Said(value, line.owner[start], line.owner[end - 1])
            for start, end, value in outermost(found)
        ]


def _reading(said: _Said, line: _Line) -> Decision | None:
    if (
        line.question
        or COUNTERFACTUAL.search(line.joined)
        or SECOND_CONDITIONAL.search(line.joined)
    ):
        return None
    if said.value == PENDING:
        return Decision(PENDING, "")
    if said.value == DENIED:
        return _denial(said, line)
    return _approval(said, line)


def _denial(said: _Said, line: _Line) -> Decision:
    held = _condition(line, said.first, approving=False)
    if held is not None:
        return Decision(PENDING, held)
    if {"not", "never"} & set(line.texts[max(0, said.first - 5) : said.first]):
        return Decision(APPROVED, "")  # "I'm not going to uphold the denial"
    return Decision(DENIED, "")


def _approval(said: _Said, line: _Line) -> Decision | None:
    texts = line.texts
    verb = next(
        (i for i in range(said.first, said.last + 1) if decision_verb(texts, i)), said.first
    )
    subject = subject_before(texts, verb)
    if not _decided(line, verb, subject):
        return None
    held = _condition(line, verb, approving=True)
    if held is not None:  # "we can not authorize it until the sleep study is done" too
        return Decision(PENDING, held)
    if negated(texts, verb, subject):
        passive = subject is None
        return None if passive else Decision(DENIED, "")
    if hedged(texts, verb, subject) or is_offer(texts, verb):
        return None
    return Decision(said.value, "")


def _decided(line: _Line, verb: int, subject: int | None) -> bool:
    """Someone is deciding here, not reporting a past decision or the FDA's."""
    texts = line.texts
    if texts[verb] == "approval":
        return bool(_APPROVAL_NOUN.search(line.joined))
    if not deciding(texts, verb) or _FDA.search(line.joined):
        return False
    opening = verb == 0 or (verb == 1 and texts[0] in _OPENERS)  # "yes, approved", "but approve"
    passive = texts[verb].endswith("ed")  # "the request is approved" (deciding() saw the "is")
    return subject is not None or opening or passive or bool(_DECISION_FRAME.search(line.joined))


def _condition(line: _Line, verb: int, *, approving: bool) -> str | None:
    """What holds the decision at `verb` back, as words ("" when too long to be simple);
    None when nothing does. A requirement holds back an approval only: "I'll have to deny"."""
    texts, owner = line.texts, line.owner
    if approving and (requirement := REQUIREMENT.search(" ".join(texts[:verb]))):
        start = owner[requirement.start()]
        subject = subject_before(texts, verb) or verb
        return _simple(_trimmed(texts[_clause_start(texts, start) : subject]))
    for match in conditions(line.joined):
        first = owner[match.start()]
        if first < verb:
            body = owner[match.end() - 1] + 1
            if verb - body <= 3:  # "before I can sign off on it, I need her A1c": what is needed
                return _simple(texts[_clause_end(texts, body, len(texts)) :])
            return _simple(_trimmed(texts[first : _clause_end(texts, body, verb)]))
        if first - verb <= _AFTER_REACH:
            return _simple(texts[first:])
    if IMPERATIVE.search(line.joined):
        ends = [i for i in range(verb) if texts[i] == "and"]
        return _simple(texts[: ends[-1]] if ends else texts[:verb])
    if approving and line.required_before is not None and _SEQUEL.search(" ".join(texts[:verb])):
        return line.required_before
    return None


def _clause_start(texts: list[str], index: int) -> int:
    """Back from a requirement verb to its subject: "our policy needs", "the plan needs"."""
    start = index
    while start > 0 and index - start < 3:
        start -= 1
        if texts[start] in PRONOUNS or texts[start] in _DETERMINERS:
            break
    return start


def _clause_end(texts: list[str], body: int, limit: int) -> int:
    """A condition before the verb ends at the next pronoun after its own subject, or at the
    decision's subject."""
    for index in range(body + 1, limit):
        if texts[index] in PRONOUNS:
            return index
    return limit


def _trimmed(words: list[str]) -> list[str]:
    """Without the words that lead into the decision ("... then", "... this will be")."""
    while words and words[-1] in _LEAD_IN:
        words = words[:-1]
    return words


def _simple(words: list[str]) -> str:
    return " ".join(words) if len(words) <= CONDITION_WORDS else ""


def _combined(readings: list[Decision]) -> Decision | None:
    values = {reading.value for reading in readings}
    if PARTIAL in values or {APPROVED, DENIED} <= values:
        return Decision(PARTIAL, "")
    pending = [reading for reading in readings if reading.value == PENDING]
    if pending:
        return next((r for r in pending if r.condition), pending[0])
    return readings[-1] if readings else None
