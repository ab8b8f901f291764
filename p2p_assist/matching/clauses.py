"""A line read as sentences and clauses, the way the context cues and the determination read it.

Shared by the context cues (which set a card aside) and the determination reader (which
reads "we can approve once the TB test is negative" as pending; framing.py). Recognisers write no
punctuation, so a sentence also ends before a turn of argument ("but", "however", "one
more thing"), and a subordinate clause ends at a comma, at the next pronoun subject, or
after a few words.

Words keep their contractions written out ("I'll" -> "i will", "I'd" -> "i would", "she'd
tried" -> "she had tried"): the matcher's own tokens drop them, but "I'll approve" and "I'd
approve" are a decision and a hypothetical.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from p2p_assist.matching.text import fold

T = TypeVar("T")
_RAW_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_WHOLE = {
    "cannot": "can not", "can't": "can not", "cant": "can not", "won't": "will not",
    "wont": "will not", "ain't": "is not", "im": "i am", "ive": "i have", "id": "i would",
    "youre": "you are", "theyre": "they are", "thats": "that is", "theres": "there is",
    "shes": "she is", "hes": "he is", "whats": "what is", "lets": "let us",
}  # fmt: skip
_CLITICS = {"'ll": "will", "'re": "are", "'m": "am", "'ve": "have", "'s": "is", "'d": "would"}
_BARE_NOT = frozenset(
    "dont doesnt didnt isnt wasnt werent arent hasnt havent hadnt couldnt shouldnt wouldnt".split()
)
# Recognisers write "I'll" as "ill" and "we're" as "were": opening a clause, that is what they are.
_ILL_AFTER = frozenset("and so okay ok then well now yes alright right".split())
_CLIPPED = {"ill": ("i", "will"), "were": ("we", "are")}
_SENTENCE_END = re.compile(r"[.?!;]")
_COMMA = re.compile(r"[,:\u2014-]")
# "but couldn't she..." turns the argument; "approved, but not weekly" and "but only for three
# months" qualify within the clause.
_TURN = re.compile(
    r"\b(?:but(?! not\b| only\b)|however|although|(?<!even )though|whereas|one more thing"
    r"|that said|having said that|on the other hand|the other thing"
    r"|(?:the|my) (?:issue|problem|concern|question|thing|catch) is)\b"
)
_QUESTION_START = re.compile(
    r"^(?:so |and |okay |ok )?(?:(?:can|could|would|will|are|is|did|do|does|have|has|was|were"
    r"|should) (?:you|we|i|it|this|that|they|she|he|the|there|anyone|anybody)"
    r"|(?:who|what|why|how|which|where|when) (?:is|are|was|were|do|does|did|can|could|would|will"
    r"|should|has|have|approves|decides|else))\b"
)
PRONOUNS = frozenset({"i", "we", "you", "she", "he", "they", "it"})
CLAUSE_REACH = 6  # words a subordinate clause runs on for when nothing else ends it


@dataclass(frozen=True, slots=True)
class Word:
    text: str  # folded, contractions written out
    start: int  # characters in the original text
    end: int
    after_comma: bool = False  # a comma (or dash, colon) stands between it and the word before


@dataclass(frozen=True, slots=True)
class Sentence:
    words: list[Word]  # this sentence's words only
    question: bool  # ended by a question mark, or opened like a question
    texts: list[str]  # the words' texts
    joined: str  # the texts joined by spaces, for the cue patterns
    owner: list[int]  # for each character of `joined`, the index of its word

    @property
    def span(self) -> tuple[int, int]:
        return self.words[0].start, self.words[-1].end

    def span_of(self, first: int, last: int) -> tuple[int, int]:
        """Characters of words [first, last)."""
        return self.words[first].start, self.words[max(first, last - 1)].end


@lru_cache(maxsize=64)  # the context cues and the determination read the same line
def read_sentences(text: str) -> tuple[Sentence, ...]:
    words = _read_words(text)
    cuts: set[tuple[int, bool]] = set()
    for index in range(1, len(words)):
        gap = text[words[index - 1].end : words[index].start]
        if _SENTENCE_END.search(gap):
            cuts.add((index, "?" in gap))
    joined, owner = joined_words([word.text for word in words])
    cuts.update((owner[turn.start()], False) for turn in _TURN.finditer(joined) if turn.start())
    out: list[Sentence] = []
    first = 0
    for cut, question in sorted(cuts):
        if cut > first:
            out.append(_sentence(words[first:cut], question))
            first = cut
    if first < len(words):
        out.append(_sentence(words[first:], "?" in text[words[-1].end :]))
    return tuple(out)


def _sentence(words: list[Word], question_mark: bool) -> Sentence:
    texts = [word.text for word in words]
    joined, owner = joined_words(texts)
    return Sentence(
        words, question_mark or bool(_QUESTION_START.search(joined)), texts, joined, owner
    )


def joined_words(texts: list[str]) -> tuple[str, list[int]]:
    """The words joined by spaces, and for each character the index of its word."""
    owner: list[int] = []
    for index, text in enumerate(texts):
        owner.extend([index] * (len(text) + 1))
    return " ".join(texts), owner


def _read_words(text: str) -> list[Word]:
    folded = fold(text)
    words: list[Word] = []
    for match in _RAW_WORD.finditer(folded):
        start, end = match.start(), match.end()
        comma = bool(words) and bool(_COMMA.search(folded, words[-1].end, start))
        for number, part in enumerate(_expand(match.group())):
            words.append(Word(part, start, end, comma and number == 0))
    return _resolve(words)


def _expand(word: str) -> list[str]:
    if "'" not in word and word not in _WHOLE and word not in _BARE_NOT:
        return [word]
    if word in _WHOLE:
        return _WHOLE[word].split()
    if word in _BARE_NOT:
        return [word[:-2], "not"]
    if word.endswith("n't"):
        return [word[:-3], "not"]
    for clitic, full in _CLITICS.items():
        if word.endswith(clitic):
            return [word[: -len(clitic)], full]
    return [word.replace("'", "")]


def _resolve(words: list[Word]) -> list[Word]:
    """'d is "had" before a past participle; opening a clause, "ill" is "i will" and "were" is
    "we are" (recognisers drop the apostrophe)."""
    out: list[Word] = []
    for index, word in enumerate(words):
        after = words[index + 1].text if index + 1 < len(words) else ""
        opening = index == 0 or words[index - 1].text in _ILL_AFTER
        if word.text == "would" and (after in ("had", "been") or after.endswith("ed")):
            out.append(Word("had", word.start, word.end, word.after_comma))
        elif opening and word.text in _CLIPPED:
            subject, verb = _CLIPPED[word.text]
            out += [Word(subject, word.start, word.end, word.after_comma)]
            out += [Word(verb, word.start, word.end)]
        else:
            out.append(word)
    return out


def clause_end(sentence: Sentence, body: int) -> int:
    """Where a subordinate clause whose words start at `body` ends (exclusive): at a comma, at
    the next pronoun after its own subject, or CLAUSE_REACH words on."""
    words = sentence.words
    last = min(len(words), body + CLAUSE_REACH)
    for index in range(body + 1, last):
        if words[index].after_comma or words[index].text in PRONOUNS:
            return index
    return last


def outermost(spans: list[tuple[int, int, T]]) -> list[tuple[int, int, T]]:
    """(start, end, value) spans less those inside a longer one ("approve" inside "can not
    approve"), in order of start."""
    kept = [
        span
        for span in spans
        if not any(
            o[0] <= span[0] and span[1] <= o[1] and o[1] - o[0] > span[1] - span[0] for o in spans
        )
    ]
    return sorted(kept, key=lambda span: (span[0], span[1]))
