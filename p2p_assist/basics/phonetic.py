"""How a word sounds, as a short key, so search can find what the recogniser misheard.

A recogniser does not misspell: it writes a real word that sounds like the one said
("terkel" or "interpol" for InterQual). Two words that sound alike mostly share their
consonants in order and their number of syllables, while their vowels are what a recogniser
gets wrong most. So a word's key is its consonant sounds, in the spirit of Lawrence Philips'
Metaphone (1990), with an A wherever a vowel sound is, whichever vowel: "interqual" is
ANTARKAL, "terkel" TARKAL, "interpol" ANTARPAL. Without the vowels, "trial" (TRL) and "drug"
(TRK) were one sound away from "terkel" (TRKL). Keys are compared as strings twice over:
letter by letter, and again with each sound replaced by its kind (a stop, a hiss, a nasal,
...), so a stop heard as another stop ("qual" as "pol") costs less than a stop heard as a
nasal ("qual" as "nal"). Only Latin letters have a key: a word in another script (the Korean
model's output) is found by its spelling alone.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

_VOWELS = frozenset("aeiou")
_SILENT_FIRST = ("ae", "gn", "kn", "pn", "wr")  # the first letter is not said: "knee", "wrist"
_PLAIN = {"f": "F", "j": "J", "l": "L", "m": "M", "n": "N", "r": "R", "q": "K", "v": "F"}
_PLAIN |= {"z": "S", "x": "KS"}

_KIND = str.maketrans(
    {
        **dict.fromkeys("BDGKPT", "P"),  # stops
        **dict.fromkeys("FJSX0", "F"),  # hisses and buzzes: f, j, s, sh, th
        **dict.fromkeys("MN", "N"),  # nasals
        **dict.fromkeys("LR", "L"),  # liquids
        **dict.fromkeys("HWY", "W"),  # breath and glides
    }
)

LOST_SYLLABLE_COST = 0.05
"""A recogniser often loses an unstressed first syllable ("in-", "en-", "un-": InterQual
heard as "terkel"); matching without it costs this much of the score."""


@lru_cache(maxsize=65536)
def sound_key(word: str) -> str:
    """The consonant sounds of `word` in order, with an A for each vowel sound, upper case,
    a sound said twice in a row kept once ("mcg": MK); "" for a word with no Latin letters
    (a number, another script)."""
    folded = unicodedata.normalize("NFKD", word.lower()).encode("ascii", "ignore").decode()
    letters = "".join(c for c in folded if "a" <= c <= "z")
    if letters[:2] in _SILENT_FIRST:
        letters = letters[1:]
    elif letters[:2] == "wh":
        letters = "w" + letters[2:]
    elif letters[:1] == "x":
        letters = "s" + letters[1:]
    key = "".join(_sound(letters, at) for at in range(len(letters)))
    return "".join(sound for at, sound in enumerate(key) if not at or sound != key[at - 1])


def _sound(word: str, at: int) -> str:
    """The sound letter `at` makes in `word` (Metaphone's rules, shortened), "" if silent."""
    letter = word[at]
    before = word[at - 1] if at else ""
    after = word[at + 1 : at + 3]
    if letter == before and letter != "c":
        return ""  # a double letter is one sound
    if letter in _VOWELS:
        silent_e = letter == "e" and at == len(word) - 1 and before not in _VOWELS and at > 1
        return "" if silent_e and any(c in _VOWELS for c in word[: at - 1]) else "A"  # "make"
    if letter in _PLAIN:
        return _PLAIN[letter]
    match letter:
        case "b":
            return "" if before == "m" and at == len(word) - 1 else "B"  # "numb"
        case "c":
            return _c_sound(before, after)
        case "d":
            return "J" if after[:1] == "g" and after[1:2] in ("e", "i", "y") else "T"
        case "g":
            return _g_sound(word, at, before, after)
        case "h":
            after_vowel = before in _VOWELS and after[:1] not in _VOWELS  # "oh"
            return "" if after_vowel or before in ("c", "g", "p", "s", "t") else "H"
        case "k":
            return "" if before == "c" else "K"
        case "p":
            return "F" if after[:1] == "h" else "P"
        case "s":
            return "X" if after[:1] == "h" or after in ("io", "ia") else "S"
        case "t":
            return _t_sound(after)
        case "w":  # "way"; not "law", nor "kwal", which sounds as "qual" (a q is a k)
            return "W" if after[:1] in _VOWELS and before != "k" else ""
        case "y":
            return "Y" if after[:1] in _VOWELS else "A"  # "yes", "happy"
    return ""


def _c_sound(before: str, after: str) -> str:
    if after[:1] == "h":
        return "K" if before == "s" or after[1:2] in ("r", "l") else "X"  # "school", "chronic"
    if after == "ia":
        return "X"  # "physician"
    if after[:1] in ("e", "i", "y"):
        return "" if before == "s" else "S"  # "science", "cell"
    return "K"


def _g_sound(word: str, at: int, before: str, after: str) -> str:
    if after[:1] == "h" and at + 2 < len(word) and after[1:2] not in _VOWELS:
        return ""  # "night"
    if after[:1] == "n" and word[at + 1 :] in ("n", "ned"):
        return ""  # "sign", "signed"
    if after[:1] in ("e", "i", "y") and before != "g":
        return "J"
    return "K"


def _t_sound(after: str) -> str:
    if after in ("io", "ia"):
        return "X"  # "nation"
    if after[:1] == "h":
        return "0"  # "therapy": th
    if after == "ch":
        return ""  # "watch"
    return "T"


def sound_kinds(key: str) -> str:
    """A key with each sound replaced by its kind: ANTARKAL -> ANPALPAL."""
    return key.translate(_KIND)


def sound_similarities(said: str, heard: Sequence[str]) -> NDArray[np.float64]:
    """0-100 for each key in `heard`: how alike it sounds to `said`, the mean of the two
    comparisons (letter by letter, kind by kind); when `said` starts with a vowel and a nasal
    ("in-", "en-", "un-"), also without them (see LOST_SYLLABLE_COST)."""
    scores = _alike(said, heard)
    if len(said) > 4 and said[0] == "A" and said[1] in "MN":
        scores = np.maximum(scores, _alike(said[2:], heard) * (1 - LOST_SYLLABLE_COST))
    return scores


def _alike(said: str, heard: Sequence[str]) -> NDArray[np.float64]:
    if not heard:
        return np.zeros(0)
    by_sound = process.cdist([said], heard, scorer=fuzz.ratio, dtype=np.float64)[0]
    kinds = [sound_kinds(key) for key in heard]
    by_kind = process.cdist([sound_kinds(said)], kinds, scorer=fuzz.ratio, dtype=np.float64)[0]
    scores: NDArray[np.float64] = (by_sound + by_kind) / 2
    return scores
