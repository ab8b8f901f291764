"""How a query finds lines: FTS5 expressions that pick the candidates from the index, and the
scores that decide which of them match.

By spelling: the words are the recogniser's, misspellings included ("inter qual", "step
therepy"). FTS5 finds whole words only, so each query word is spelled out as every indexed
word near it (rapidfuzz, against the index's list of words: "therepy" for "therapy"), any word
it begins ("therap*"), its two halves when the recogniser split it ("inter qual"), and the word
two query words make together. The candidates are then scored as search always scored a line:
rapidfuzz's partial_ratio of the query within the line.

By sound: a line the recogniser wrote as other words ("terkel", "interpol" for InterQual) is
found by the sound keys of its words (basics/phonetic.py), indexed in their own column. The
query's keys, run together, are compared with each stretch of the line's keys as long as the
query, a word shorter or longer; the candidates are the lines with a word that sounds like the
whole query, or, for a word the recogniser may have split in two, two words in a row that
sound like its halves (and for a query of several words, words like each of them).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from p2p_assist.basics.phonetic import sound_key, sound_similarities
from p2p_assist.transcript.search_lines import words_of

MIN_SCORE = 80.0
"""partial_ratio of the query against its best-matching stretch of a line, 0-100. At 80
"interqual" still finds "inter qual" (89) but not "internal" (78)."""

NEAR_SPELLING = 70.0
"""A word of the index is tried for a query word from this score up: below MIN_SCORE, since
a line's score counts the whole query and one word may be further off."""
MOST_SPELLINGS = 100
"""At most this many of the nearest indexed words per query word (a short word is inside
hundreds of others), so the expression FTS5 runs stays small."""

SOUND_MIN = 90.0
"""basics/phonetic.py's score of the query's keys against a stretch of a line's keys. At 90
"interqual" (ANTARKAL) finds "terkel" (95), "interpol" (94) and "inner qual" (93), but not
"internal" or "interval" (88), where a stop was heard as a nasal or a hiss, nor "inter" (77);
"terkel" finds "turkey" (91) but not "turtle" (82) or "trial" (80)."""
NEAR_SOUND = 80.0
"""A half or a word of the query finds candidate lines from this sound score up."""
MIN_SOUNDS = 3
"""A query of fewer sounds ("mcg": MK) would sound like too many words to search by sound."""


def text_query(needle: str, spellings: Sequence[str]) -> str | None:
    """The FTS5 expression for lines with a spelling of every word of `needle` (which is
    rapidfuzz-normalised); `spellings` are the words of the index. None if `needle` has no
    word FTS5 would index."""
    words = words_of(needle)
    if not words:
        return None
    # One word must be near a line's word to score MIN_SCORE; of several, one may be further.
    cutoff = MIN_SCORE if len(words) == 1 else NEAR_SPELLING
    known = set(spellings)
    together = [_near_spellings(a + b, spellings, MIN_SCORE) for a, b in itertools.pairwise(words)]
    groups = []
    for at, word in enumerate(words):
        options = {_quoted(word) + "*", *map(_quoted, _near_spellings(word, spellings, cutoff))}
        options |= {_quoted(f"{word[:cut]} {word[cut:]}") for cut in _cuts(word, known)}
        for near in together[max(0, at - 1) : at + 1]:
            options |= set(map(_quoted, near))
        groups.append(_any(options))
    return "text : (" + " AND ".join(groups) + ")"


def _near_spellings(word: str, spellings: Sequence[str], cutoff: float) -> list[str]:
    """Indexed words spelled like `word` (rapidfuzz's ratio) or holding it ("qual" in
    "interqual"), nearest first. Not partial_ratio: it scores the ends of words too, so
    "tried" would bring every word ending in "ied"."""
    if len(word) < 3:
        return []  # the prefix finds them; near a word of two letters is every word
    scores = process.cdist([word], spellings, scorer=fuzz.ratio, score_cutoff=cutoff)[0]
    scores[[at for at, term in enumerate(spellings) if word in term]] = 100
    picked = np.flatnonzero(scores)
    return [
        spellings[at] for at in picked[np.argsort(-scores[picked], kind="stable")][:MOST_SPELLINGS]
    ]


def _cuts(word: str, known: set[str]) -> list[int]:
    """Where `word` splits into two indexed words of two letters or more."""
    return [cut for cut in range(2, len(word) - 1) if word[:cut] in known and word[cut:] in known]


def fuzzy_scores(
    needle: str, texts: Sequence[str], cutoff: float = MIN_SCORE
) -> NDArray[np.float64]:
    """partial_ratio for texts at least as long as the query; a shorter text is compared whole
    (ratio), or "step" alone would score 100 against the query "step therapy". Below `cutoff`
    is 0. The texts are normalised inside rapidfuzz, which only trims their length."""
    if not texts:
        return np.zeros(0)
    partial = process.cdist(
        [needle], texts, scorer=fuzz.partial_ratio, processor=default_process, score_cutoff=cutoff
    )
    whole = process.cdist(
        [needle], texts, scorer=fuzz.ratio, processor=default_process, score_cutoff=cutoff
    )
    long_enough = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) >= len(needle)
    scores: NDArray[np.float64] = np.where(long_enough, partial[0], whole[0]).astype(np.float64)
    return scores


@dataclass(frozen=True, slots=True)
class SoundQuery:
    """`said`: the query's sound keys run together, from `words` words. `tiers`: FTS5
    expressions for lines whose words, or two words in a row, sound like the query, with the
    score they share, best first. `loose`: for a query of several words, an expression for
    lines with words like each of them, to be scored by sound_scores."""

    said: str
    words: int
    tiers: list[tuple[float, str]]
    loose: str | None


def sound_query(needle: str, sounds: Sequence[str]) -> SoundQuery | None:
    """What to ask the index for lines that may sound like `needle`, given the sound keys
    it holds; None when the query has too few sounds."""
    keys = [key for key in map(sound_key, words_of(needle)) if key]
    said = "".join(keys)
    if len(said) < MIN_SOUNDS or not sounds:
        return None
    heard = (
        _heard_as(said, sounds, SOUND_MIN)
        if len(keys) == 1
        else _near_sounds(said, sounds, SOUND_MIN)
    )
    loose = None
    each = [_heard_as(key, sounds, NEAR_SOUND) for key in keys if len(key) > 1]
    if len(keys) > 1 and each and all(each):
        loose = _column(" AND ".join(_any(map(_quoted, alike)) for alike in each))
    tiers: dict[float, list[str]] = {}
    for words, score in heard.items():
        tiers.setdefault(score, []).append(_quoted(words))
    ranked = [(score, _column(_any(tiers[score]))) for score in sorted(tiers, reverse=True)]
    return SoundQuery(said, len(keys), ranked, loose)


def _column(expression: str) -> str:
    return f"sounds : ({expression})"


def _heard_as(said: str, sounds: Sequence[str], cutoff: float) -> dict[str, float]:
    """A word, or two words in a row, that sound like `said` from `cutoff` up."""
    return _near_sounds(said, sounds, cutoff) | _split_words(said, sounds, cutoff)


def _split_words(said: str, sounds: Sequence[str], cutoff: float) -> dict[str, float]:
    """Two words in a row that sound like `said` as the recogniser writes a word it does
    not know ("inner qual"), each alike to a half of it, with their score. Halves of fewer
    than MIN_SOUNDS sounds would match any two words ("to call" for "terkel")."""
    pairs = []
    for cut in range(MIN_SOUNDS, len(said) - MIN_SOUNDS + 1):
        firsts = _near_sounds(said[:cut], sounds, NEAR_SOUND)
        seconds = _near_sounds(said[cut:], sounds, NEAR_SOUND)
        pairs += [(first, second) for first in firsts for second in seconds]
    scores = sound_similarities(said, ["".join(pair) for pair in pairs]).tolist()
    return {
        " ".join(pair): score for pair, score in zip(pairs, scores, strict=True) if score >= cutoff
    }


def _near_sounds(said: str, sounds: Sequence[str], cutoff: float) -> dict[str, float]:
    """The keys in `sounds` alike to `said` from `cutoff` up, with their score."""
    scores = sound_similarities(said, sounds)
    return {sounds[at]: float(scores[at]) for at in np.flatnonzero(scores >= cutoff).tolist()}


def sound_scores(query: SoundQuery, texts: Sequence[str]) -> NDArray[np.float64]:
    """For each text, how alike its best stretch of words sounds to the query (0-100).
    Each distinct stretch is scored once: lines share most of theirs."""
    stretches: dict[str, int] = {}
    owners: list[int] = []
    places: list[int] = []
    sizes = range(max(1, query.words - 1), query.words + 2)
    for row, text in enumerate(texts):
        keys = [key for key in map(sound_key, words_of(text)) if key]
        for size in sizes:
            for start in range(len(keys) - size + 1):
                stretch = "".join(keys[start : start + size])
                places.append(stretches.setdefault(stretch, len(stretches)))
                owners.append(row)
    scores = sound_similarities(query.said, list(stretches))
    best = np.zeros(len(texts))
    np.maximum.at(best, np.array(owners, dtype=np.int64), scores[np.array(places, dtype=np.int64)])
    return best


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _any(options: Iterable[str]) -> str:
    return "(" + " OR ".join(sorted(options)) + ")"
