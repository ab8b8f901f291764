"""From words to matchable terms: drop filler words, reduce inflections.

A term is a crude stem ("tried", "tries", "trying" -> "try"); it only has to be
consistent between trigger phrases and utterances, not linguistically right.
Words that change meaning (not, no, only, first, yet, other) are kept on purpose.
"""

from __future__ import annotations

from functools import lru_cache

STOPWORDS = frozenset(
    (
        "a an the this that these those it its i me my we us ours you your he him his she her they"
        " them their there here is am are was were be been being do does did doing have has had"
        " having will would shall should can could may might must of to in on at by for from with"
        " as"
        " and or but so if then than also very really well okay ok um uh uhm ah oh yeah yes mean"
        " like kind sort bit lot quite actually basically literally about into onto what which who"
        " whom whose when where why how all any some such own same too s"
    ).split()
)

# Irregular forms that a suffix rule would miss or mangle.
LEMMAS = {
    "tried": "try", "tries": "try", "trying": "try", "trial": "trial", "trials": "trial",
    "criteria": "criterion", "data": "datum", "went": "go", "gone": "go", "seen": "see",
    "saw": "see", "done": "do", "made": "make", "got": "get", "gotten": "get", "given": "give",
    "gave": "give", "paid": "pay", "sent": "send", "read": "read", "met": "meet",
    "meets": "meet", "meeting": "meet", "less": "less", "lower": "low", "lowest": "low",
    "stable": "stabl", "stabilize": "stabl", "stabilized": "stabl", "stabilization": "stabl",
    "stabilizing": "stabl", "stabilise": "stabl", "stabilised": "stabl",
    "stabilisation": "stabl", "stability": "stabl", "stably": "stabl",
    "documentation": "document", "documented": "document", "documents": "document",
    "medications": "medication", "meds": "medication", "med": "medication",
    "records": "record", "notes": "note", "children": "child", "kids": "child", "kid": "child",
    "didn't": "did", "just": "only", "merely": "only", "solely": "only", "analyses": "analysis",
    "isn": "is", "used": "use", "using": "use",
}  # fmt: skip

_SUFFIXES = ("ingly", "edly", "ing", "ies", "ied", "ed", "es", "s", "ly")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    if word in LEMMAS:
        return LEMMAS[word]
    if word.isdigit() or len(word) <= 3:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = _strip(word, suffix)
            break
    # "require", "required", "requires" all end as "requir".
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def _strip(word: str, suffix: str) -> str:
    base = word[: -len(suffix)]
    if suffix in {"ies", "ied"}:
        return base + "y"
    if suffix == "s" and word.endswith(("ss", "us", "is")):
        return word
    if suffix in {"ing", "ed"} and len(base) >= 2 and base[-1] == base[-2] and base[-1] not in "ls":
        return base[:-1]  # "stopped" -> "stop"
    return base


def is_content(word: str) -> bool:
    return word not in STOPWORDS
