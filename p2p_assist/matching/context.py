"""Context before a card: objection words the speaker did not use as an objection.

The trigger rules and the learned layer see words; they cannot tell "she has to try the
preferred drug first" from "I'll grant the step therapy exception", or a reviewer's
objection from the clinician asking "are you saying she needs to try methotrexate first?".
A hit whose span sits inside one of these cues is set aside, with the words that carried it:

- approval: a committed approval ("I'll grant the exception", "we are overturning the
  denial"); not one negated, asked about, hedged with "would", held back by a requirement
  or a condition before it, or offered for something else ("we can approve the biosimilar");
- concession: "you're right", "fair enough", "that's fine", "I see that she did";
- question: the clinician asking about the reviewer ("are you saying", "did you get a
  chance to review", "what documentation would you need"); never the reviewer's own
  questions about the patient ("has she tried the generic?"), which are objections;
- hypothetical: a counterfactual ("if she had tried", "even if it were"), unless it sets
  out what approving would have taken ("I'd approve it if she had failed two DMARDs");
- condition: the clause that holds an approval back ("before we can approve");
- clinician: the clinician's own framing ("my patient", "I faxed", "I'm requesting").

A cue reaches over its sentence and no further (clauses.py), so "fair enough, but
couldn't she restart methotrexate" still raises its card. Reading a line costs a few
regex searches, so it runs on every partial result.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from p2p_assist.basics.vocabulary import Speaker
from p2p_assist.matching.clauses import Sentence, clause_end, read_sentences
from p2p_assist.matching.framing import (
    APPROVAL_VERB,
    COUNTERFACTUAL,
    NEGATORS,
    REQUIREMENT,
    conditions,
    deciding,
    hedged,
    is_offer,
    negated,
    subject_before,
)
from p2p_assist.matching.objections import ObjectionHit

CueKind = Literal["approval", "concession", "question", "hypothetical", "condition", "clinician"]
# Cues in the clinician's voice: a line known to be the reviewer's carries none of them.
CLINICIAN_VOICE: frozenset[CueKind] = frozenset({"question", "clinician"})


@dataclass(frozen=True, slots=True)
class Cue:
    kind: CueKind
    words: str  # what carried it, to explain why no card was raised
    span: tuple[int, int]  # characters of the line it reaches over


_CONCESSION = re.compile(
    r"\b(?:you are (?:absolutely |quite )?(?:right|correct)|that is (?:a )?(?:fair|fine|true"
    r"|reasonable|understandable|(?:fair|good|valid) point)|fair (?:enough|point)"
    r"|(?:good|valid) point|point taken|i (?:take|see|get) (?:your|the|that) point"
    r"|i (?:agree|concede|accept that)|that makes sense|i see what you mean|understood"
    r"|i (?:can )?see that(?P<seen>(?: \w+)*))\b"
)
_CLINICIAN_QUESTION = re.compile(
    r"\b(?:(?:are|were) you (?:saying|suggesting|telling me)|you are saying"
    r"|your concern is|is your concern"
    r"|(?:did|have) you (?:had |have |get |got |gotten )?(?:a |the )?(?:chance|time|opportunity)"
    r"|(?:did|have) you (?:get|got|gotten|receive|received|review|reviewed|read|see|seen|look at"
    r"|looked at|go through|gone through) (?:the|my|our|those|these|what|everything)"
    r"|were you able to (?:review|read|look|see|go)"
    r"|(?:what|which) (?:criteria|guidelines?|policy|version)(?: \w+){0,3}? (?:you|appl\w*|us\w*)"
    r"|what (?:other |else |more |additional |further )?(?:documentation|records|information"
    r"|notes) (?:would|do|will|did) you|what (?:would|do|will) you need|what else do you need"
    r"|what is your (?:specialty|background|concern))\b"
)
# Unpunctuated, a clinician's question is known by how it opens: "what other documentation do
# you need", "so you are saying".
_OPENER = re.compile(r"(?:(?:so|and|okay|ok|just so i understand|to be clear) )*")
_CLINICIAN_FRAMING = re.compile(
    r"\b(?:my patient|my (?:office|team|staff|nurse) (?:faxed|sent|will|has|uploaded)"
    r"|i am (?:asking|requesting|calling) (?:for|about)|i am requesting|we are requesting"
    r"|(?:i|we) (?:faxed|submitted|uploaded|attached)|in my (?:notes?|letter|documentation)"
    r"|(?:i|we) sent (?:you |over |in )?(?:the|her|his|our|my|all|everything|them|those)"
    r"|please (?:note|document|record) (?:in|that|for))\b"
)
_CALL_ORDER = re.compile(
    r"before (?:we|i) (?:start|begin|get started|go on|go any further|continue|move on|hang up)$"
)
_APPROVAL_FRAME = re.compile(
    r"\b(?:you (?:have|will have|will get|have got) (?:an |the |your )?approval"
    r"|(?:this|it|that|the request) is (?:now )?(?:partially )?approved|consider it approved"
    r"|decision (?:today )?is to (?:approve|overturn|authori[sz]e))\b"
)


def set_aside_in_context(
    text: str,
    hits: list[ObjectionHit],
    speaker: Speaker | None,
    rematch: Callable[[str], list[ObjectionHit]],
) -> tuple[list[ObjectionHit], list[tuple[ObjectionHit, Cue]]]:
    """The hits that stand, and those set aside with the cue that holds them. A hit inside a
    cue stands if the words outside every cue raise it too (`rematch` on the line with the
    cues blanked out): "before we approve anything she has to fail the preferred drug"."""
    if not hits:
        return hits, []
    cues = read_cues(text, speaker)
    framed = [(hit, covering(cues, hit.span, len(text))) for hit in hits]
    if all(cue is None for _, cue in framed):
        return hits, []
    outside = {hit.id: hit for hit in rematch(_blanked(text, [cue.span for cue in cues]))}
    kept: list[ObjectionHit] = []
    aside: list[tuple[ObjectionHit, Cue]] = []
    for hit, cue in framed:
        if cue is None:
            kept.append(hit)
        elif hit.id in outside:
            kept.append(outside[hit.id])
        else:
            aside.append((hit, cue))
    return kept, aside


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """The line with the spans overwritten by spaces, so character offsets still hold."""
    chars = list(text)
    for first, last in spans:
        chars[first:last] = " " * (last - first)
    return "".join(chars)


def read_cues(text: str, speaker: Speaker | None = None) -> list[Cue]:
    cues = [cue for sentence in read_sentences(text) for cue in _sentence_cues(sentence)]
    if speaker == "reviewer":
        cues = [cue for cue in cues if cue.kind not in CLINICIAN_VOICE]
    return cues


def covering(cues: list[Cue], span: tuple[int, int], text_length: int) -> Cue | None:
    """The cue whose reach holds the whole span; a span of (0, 0) stands for the whole line."""
    first, last = span if span != (0, 0) else (0, text_length)
    return next((cue for cue in cues if cue.span[0] <= first and last <= cue.span[1]), None)


def _sentence_cues(sentence: Sentence) -> list[Cue]:
    joined = sentence.joined
    found: list[Cue] = []
    if approval := _approval(sentence, joined):
        found.append(Cue("approval", approval, sentence.span))
    concession = _CONCESSION.search(joined)
    if concession and not set((concession.group("seen") or "").split()) & NEGATORS:
        found.append(Cue("concession", concession.group(), sentence.span))
    question = _CLINICIAN_QUESTION.search(joined)
    if question and (sentence.question or _OPENER.fullmatch(joined[: question.start()])):
        found.append(Cue("question", question.group(), sentence.span))
    if framing := _CLINICIAN_FRAMING.search(joined):
        found.append(Cue("clinician", framing.group(), sentence.span))
    if hypothetical := _hypothetical(sentence, joined):
        found.append(hypothetical)
    return found + _approval_conditions(sentence, joined)


def _approval(sentence: Sentence, joined: str) -> str | None:
    """The words of a committed approval in the sentence, if there is one."""
    if sentence.question:
        return None
    if frame := _APPROVAL_FRAME.search(joined):
        return frame.group()
    texts = sentence.texts
    for index in range(len(texts)):
        if not deciding(texts, index):
            continue
        subject = subject_before(texts, index)
        if subject is None:
            continue
        before = " ".join(texts[:index])
        held_back = REQUIREMENT.search(before) or conditions(before)
        if not (
            held_back
            or negated(texts, index, subject)
            or hedged(texts, index, subject)
            or is_offer(texts, index)
            or COUNTERFACTUAL.search(joined)
        ):
            return " ".join(texts[subject : index + 1])
    return None


def _hypothetical(sentence: Sentence, joined: str) -> Cue | None:
    """The if-clause, and the rest of the sentence when it goes on hypothetically; none when it
    says what approving would have taken ("I'd approve it if she had failed two DMARDs")."""
    match = COUNTERFACTUAL.search(joined)
    if match is None or any(APPROVAL_VERB.match(word) for word in sentence.texts):
        return None
    owner = sentence.owner
    if re.search(r"\b(?:would|could|might)\b", joined):
        return Cue("hypothetical", match.group(), sentence.span)
    # "even if it were necessary, the plan does not cover it": the main clause stands.
    body = owner[match.end() - 1] + 1
    end = clause_end(sentence, body) if body < len(sentence.words) else body
    return Cue("hypothetical", match.group(), sentence.span_of(owner[match.start()], end))


def _approval_conditions(sentence: Sentence, joined: str) -> list[Cue]:
    """ "before we can approve": the words of a condition that hold an approval back; and
    "before we start", which only orders the call."""
    owner = sentence.owner
    cues = []
    for match in conditions(joined):
        first = owner[match.start()]
        body = owner[match.end() - 1] + 1
        end = clause_end(sentence, body) if body < len(sentence.words) else body
        clause = sentence.texts[first:end]
        if any(APPROVAL_VERB.match(word) for word in clause) or _CALL_ORDER.match(" ".join(clause)):
            cues.append(Cue("condition", " ".join(clause), sentence.span_of(first, end)))
    return cues
