"""The frame a sentence puts around a decision verb: who decides, negated, hedged, held back.

Shared by the context cues (an approval sets a card aside) and the determination reader
("we can approve once the TB test is negative" is pending). The words come from clauses.py,
contractions written out, so "I'd approve" (hedged) and "I'll approve" (decided) differ.
"""

from __future__ import annotations

import re

from p2p_assist.matching.clauses import PRONOUNS

APPROVAL_VERB = re.compile(r"^(?:approv|grant|authori[sz]|certif|overturn|revers)\w*$")
SUBJECTS = frozenset({"i", "we"})
NEGATORS = frozenset({"not", "never", "no", "unable", "nobody", "nothing"})
HEDGES = frozenset({"would", "could", "might", "may", "should"})
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
# "I would approve it if the chart showed two trials": a hypothetical about the facts, unless
# it asks the listener for something ("if you faxed the notes I could approve it").
_PAST_IF = r"\bif (?!you\b)(?:\w+ ){1,3}?(?:had|were|was|did|showed|\w+ed)\b"
SECOND_CONDITIONAL = re.compile(
    rf"{_PAST_IF}(?=.*\b(?:would|could|might)\b)|\b(?:would|could|might)\b.*{_PAST_IF}"
)
# What did not happen is not what is being said now.
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
