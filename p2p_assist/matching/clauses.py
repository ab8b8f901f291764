"""A line read as sentences, and the frame a sentence puts around a decision verb.

Shared by the context cues (which set a card aside) and the determination reader (which
reads "we can approve once the TB test is negative" as pending). Recognisers write no
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


# -- the frame around a decision verb ---------------------------------------------------------

APPROVAL_VERB = re.compile(r"^(?:approv|grant|authori[sz]|certif|overturn|revers)\w*$")
SUBJECTS = frozenset({"i", "we"})
NEGATORS = frozenset({"not", "never", "no", "unable", "nobody", "nothing"})
HEDGES = frozenset({"would", "could", "might", "may", "should"})
_QUESTION_START = re.compile(
    r"^(?:so |and |okay |ok )?(?:(?:can|could|would|will|are|is|did|do|does|have|has|was|were"
    r"|should) (?:you|we|i|it|this|that|they|she|he|the|there|anyone|anybody)"
    r"|(?:who|what|why|how|which|where|when) (?:is|are|was|were|do|does|did|can|could|would|will"
    r"|should|has|have|approves|decides|else))\b"
)
# A condition opens a clause ("once the TB test is back"); "before a biologic" and "after
# everything we discussed" do not hold anything back.
_CONDITION = re.compile(
    r"\b(?:(?:if|once|before|unless|until|till|when|after|without|as soon as|as long as"
    r"|provided(?: that)?"
    r"|assuming(?: that)?|in case) (?=(?:i|we|you|she|he|they|it|the|her|his|our|your|my|this"
    r"|there|a|an)\b)|pending|contingent (?:on|upon)|depends on|dependent on|subject to"
    r"|conditional (?:on|upon))\b"
)
# "if you disagree, you can appeal": the route after a decision, not a condition on it.
_APPEAL_ROUTE = re.compile(r"\b(?:disagree|appeal|not happy|dispute)\b")
REQUIREMENT = re.compile(
    r"\b(?:need|needs|needed|require|requires|required|must|have to|has to|want to see"
    r"|wants to see|would want|wants|will want)\b"
)
# "send me the MRI and I'll approve it": a request first, then what it would buy.
IMPERATIVE = re.compile(
    r"^(?:just |please )?(?:send|fax|get|give|show|bring|provide|submit|email"
    r"|let me (?:see|get|have|look at|review))\b"
)
# What did not happen is not what is being said now.
# "I would approve it if the chart showed two trials": a hypothetical about the facts, unless
# it asks the listener for something ("if you faxed the notes I could approve it").
_PAST_IF = r"\bif (?!you\b)(?:\w+ ){1,3}?(?:had|were|was|did|showed|\w+ed)\b"
SECOND_CONDITIONAL = re.compile(
    rf"{_PAST_IF}(?=.*\b(?:would|could|might)\b)|\b(?:would|could|might)\b.*{_PAST_IF}"
)
COUNTERFACTUAL = re.compile(
    r"\b(?:(?:even )?if (?:she|he|they|we|i|you|it|the patient|the member) (?:had|were)"
    r"|^had (?:she|he|they|we|i|you|it) (?:been|\w+ed|\w+en)"
    r"|(?:would|could|might) have (?:been|\w+ed|\w+en)|if it were up to me)\b"
)
# An approval of something else is an offer, i.e. an objection: "we can approve the biosimilar".
_OFFER = re.compile(
    r"\b(?:instead|rather than|alternative|(?<!non )biosimilar|generic|equivalent"
    r"|(?<!non )preferred|formulary|lower level|less intensive|oral (?:agent|option|formulation))"
    r"\b"
)
_OBJECT_END = re.compile(r"\b(?:since|because|given|as|for|so|and|which|that|once|if|when)\b")


# "we authorized the first five days" reports a past decision; "I have approved it" makes one.
_PERFECT_OR_PASSIVE = frozenset({"am", "is", "are", "be", "been", "have", "has", "get", "got"})
_MAKING = frozenset({"get", "got", "consider", "have"})
_ADVERBS = frozenset({"partially", "now", "fully", "hereby", "officially", "also", "already"})
_VERB_GROUP = _PERFECT_OR_PASSIVE | NEGATORS | {"will", "can", "could", "would", "been", "being"}


def decision_verb(texts: list[str], index: int) -> bool:
    """ "approve", "authorize", "overturn"... and "sign off"."""
    word = texts[index]
    return bool(APPROVAL_VERB.match(word)) or (
        word in ("sign", "signing") and texts[index + 1 : index + 2] == ["off"]
    )


def deciding(texts: list[str], index: int) -> bool:
    """The word at `index` is a decision verb used as one: not "board certified", not a past
    report ("the last reviewer approved")."""
    word = texts[index]
    if not decision_verb(texts, index):
        return False
    back = index - 1
    while back >= 0 and texts[back] in _ADVERBS:
        back -= 1
    before = texts[back] if back >= 0 else ""
    if word.startswith("certif") and (before == "board" or texts[index + 1 : index + 2] == ["in"]):
        return False
    if not word.endswith("ed") or before in _PERFECT_OR_PASSIVE or back < 0:
        return True
    opening = back == 0 and before in ("yes", "so", "okay", "ok")
    made = before in ("it", "this", "that") and back > 0 and texts[back - 1] in _MAKING
    return opening or made  # "consider it approved", "get this approved"


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


def subject_before(texts: list[str], index: int, reach: int = 8) -> int | None:
    """Where "I" or "we" stands before the verb at `index`, if near and no other pronoun stands
    between ("could you approve it" asks; "we can approve it" decides)."""
    for back in range(index - 1, max(-1, index - 1 - reach), -1):
        if texts[back] in SUBJECTS:
            return back
        if texts[back] in PRONOUNS:
            return None
    return None


def negated(texts: list[str], index: int, subject: int | None) -> bool:
    """A negation governs the verb: "can not approve", "no way I can", "don't think I can";
    without a subject, only within its verb group ("is not approved")."""
    if subject is None:
        first = index
        while first > 0 and texts[first - 1] in _ADVERBS | _VERB_GROUP:
            first -= 1
    else:
        first = max(0, subject - 3)
    return any(
        word in NEGATORS and texts[at + 1 : at + 2] != ["problem"]  # "no problem, I'll approve"
        for at, word in enumerate(texts[:index])
        if at >= first
    )


def hedged(texts: list[str], index: int, subject: int | None) -> bool:
    """ "would/could approve": a possibility, not a decision."""
    window = texts[max(0, index - 3) if subject is None else subject : index]
    return any(word in HEDGES for word in window)


def is_offer(texts: list[str], index: int) -> bool:
    """The object of the verb at `index` names an alternative to what was asked for."""
    tail = " ".join(texts[index + 1 : index + 7])
    end = _OBJECT_END.search(tail)
    return bool(_OFFER.search(tail[: end.start()] if end else tail))


def conditions(joined: str) -> list[re.Match[str]]:
    """Conditions in a sentence, leaving out the appeal route ("if you disagree")."""
    return [
        match
        for match in _CONDITION.finditer(joined)
        if not _APPEAL_ROUTE.search(joined[match.end() : match.end() + 40])
    ]


def clause_end(sentence: Sentence, body: int) -> int:
    """Where a subordinate clause whose words start at `body` ends (exclusive): at a comma, at
    the next pronoun after its own subject, or CLAUSE_REACH words on."""
    words = sentence.words
    last = min(len(words), body + CLAUSE_REACH)
    for index in range(body + 1, last):
        if words[index].after_comma or words[index].text in PRONOUNS:
            return index
    return last
