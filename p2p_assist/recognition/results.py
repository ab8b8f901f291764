"""Turning an engine's raw word list into the shared result types.

Both engines emit tokens that are not words a person said (silence, noise,
pronunciation variants); stripping them here keeps transcripts and the matcher
engine-neutral.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from p2p_assist.recognition.base import FinalResult, Word

# Pocketsphinx marks the 2nd, 3rd... pronunciation of a word as "word(2)".
_VARIANT_SUFFIX = re.compile(r"\(\d+\)$")


def clean_token(token: str) -> str | None:
    """The spoken word in an engine token, or None for silence and noise markers.

    Markers look like <s>, </s>, <sil> (pocketsphinx), [NOISE], [unk] (both
    engines' filler dictionaries) or ++NOISE++ (older sphinx models).
    """
    token = _VARIANT_SUFFIX.sub("", token.strip())
    if not token or token[0] in "<[+":
        return None
    return token


def clean_text(text: str) -> str:
    """`text` without the markers clean_token drops, for partials that arrive as one string."""
    return " ".join(word for word in map(clean_token, text.split()) if word)


def make_final(words: Sequence[Word], start: float, end: float) -> FinalResult:
    """A final for one utterance; the words' span wins over the endpointer's when known."""
    if not words:
        return FinalResult(text="", start=start, end=end, confidence=0.0)
    return FinalResult(
        text=" ".join(word.text for word in words),
        words=tuple(words),
        start=words[0].start,
        end=words[-1].end,
        confidence=sum(word.confidence for word in words) / len(words),
    )
