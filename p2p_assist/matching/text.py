"""Bring text to the form recognisers write it, and split it into matchable tokens.

Lowercase, no punctuation, contractions expanded ("doesn't" -> "does not") and number
words as digits, so typed triggers and recognised speech meet in the middle. Each
token remembers where it came from in the original text so a span can be highlighted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from p2p_assist.matching.numbers import words_to_digits

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_NEGATED = {
    "cannot": "can not",
    "can't": "can not",
    "won't": "will not",
    "shan't": "shall not",
    "ain't": "is not",
}
_DROPPED_CLITICS = ("'s", "'re", "'ve", "'ll", "'m", "'d")
# Recognisers and hurried typists drop the apostrophe: "doesnt", "shes", "im".
_BARE_NOT = frozenset(
    (
        "dont doesnt didnt isnt wasnt werent arent hasnt havent hadnt couldnt shouldnt wouldnt"
        " mustnt neednt"
    ).split()
)
_BARE = {"cant": "can not", "wont": "will not", "im": "i", "ive": "i", "shes": "she",
         "hes": "he", "thats": "that", "theyre": "they", "youre": "you", "weve": "we",
         "theres": "there", "whats": "what"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int  # character offsets in the original text
    end: int


def fold(text: str) -> str:
    """Lowercase ASCII-ish text with typographic quotes and dashes made plain."""
    text = unicodedata.normalize("NFKC", text).lower()
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")


def tokenize(text: str) -> list[Token]:
    """Words of `text` with contractions expanded; offsets point into `text`."""
    folded = fold(text)
    tokens: list[Token] = []
    for match in _WORD.finditer(folded):
        word, start, end = match.group(), match.start(), match.end()
        for part in _expand(word):
            tokens.append(Token(part, start, end))
    return tokens


def _expand(word: str) -> list[str]:
    if word in _NEGATED:
        return _NEGATED[word].split()
    if word in _BARE_NOT:
        return [word[:-2], "not"]
    if word in _BARE:
        return _BARE[word].split()
    if word.endswith("n't"):
        return [word[:-3], "not"]
    for clitic in _DROPPED_CLITICS:
        if word.endswith(clitic):
            return [word[: -len(clitic)]]
    return [word.replace("'", "")]


def normalize(text: str) -> str:
    """The canonical spoken form: what a recogniser would have written, numbers as digits."""
    return " ".join(words_to_digits([token.text for token in tokenize(text)]))
