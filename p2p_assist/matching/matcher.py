"""One entry point for the text brain: objections raised and values captured.

Two layers vote on each objection. Trigger rules are precise about phrasings
someone wrote down; the learned layer generalises to new phrasings. A rule hit
stands unless the learned layer finds the line clearly unlike that objection; a
learned hit alone needs a confident probability.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from p2p_assist.basics.locations import cache_dir
from p2p_assist.basics.vocabulary import Speaker
from p2p_assist.library.load import Library
from p2p_assist.matching.captures import Capture, CaptureExtractor
from p2p_assist.matching.classifier import ObjectionClassifier, TrainingSet
from p2p_assist.matching.context import Cue, set_aside_in_context
from p2p_assist.matching.objections import ObjectionHit, TriggerRules, compile_triggers
from p2p_assist.matching.phrases import phrase_terms
from p2p_assist.matching.utterance import ParsedText, Vocabulary

LEARNED_THRESHOLD = 0.6
MAX_MATCHED_CHARS = 2000
"""A recogniser's utterance is a few sentences (a minute of speech is ~1,000 characters). A
longer line (a pasted page on `match`'s stdin) is read this far, so one line costs what any
utterance costs and never stalls the call or trips the library patterns' time budget."""
RULE_VETO_BELOW = 0.3


@dataclass(frozen=True, slots=True)
class MatchResult:
    text: str
    objections: list[ObjectionHit]
    captures: list[Capture]
    set_aside: list[tuple[ObjectionHit, Cue]] = field(default_factory=list)  # hit, and why


def training_set(library: Library) -> TrainingSet:
    examples: list[tuple[str, frozenset[str]]] = []
    for objection in library.objections.values():
        own = frozenset({objection.id})
        examples += [(text, own) for text in objection.triggers.phrases]
        examples += [(text, own) for text in objection.triggers.examples]
        examples += [(text, frozenset()) for text in objection.triggers.exclude]
    examples += [(text, frozenset()) for text in library.negatives.examples]
    return TrainingSet(sorted(library.objections), examples)


class Matcher:
    def __init__(self, library: Library) -> None:
        self.library = library
        objections = list(library.objections.values())
        triggers = compile_triggers(objections, library.folder / "objections")
        data = training_set(library)
        words = triggers.vocabulary() | {t for text, _ in data.examples for t in phrase_terms(text)}
        self.vocabulary = Vocabulary(words)
        self.rules = TriggerRules(objections, triggers)
        self.notices: list[str] = []
        """One line each for what the user should know: a cache rebuilt, a pattern switched off.
        Callers show and clear them."""
        self.classifier = ObjectionClassifier.train(
            data, self.vocabulary.read, cache_dir(), self.notices.append
        )
        self.captures = CaptureExtractor(library.documentation.items, self.notices.append)

    def match(
        self,
        text: str,
        speaker: Speaker | None = None,
        word_confidence: Mapping[str, float] | None = None,
    ) -> MatchResult:
        """Objections and captures in `text`; only its first MAX_MATCHED_CHARS are read.
        `word_confidence`: the recogniser's confidence in each (normalised) word, so the
        values captured say how sure they are."""
        heard = text[:MAX_MATCHED_CHARS]
        hits, set_aside = set_aside_in_context(
            heard, self._heard(heard, speaker), speaker, lambda words: self._heard(words, speaker)
        )
        captures = self.captures.extract(heard, speaker, word_confidence)
        return MatchResult(text, hits, captures, set_aside)

    def _heard(self, text: str, speaker: Speaker | None) -> list[ObjectionHit]:
        return [
            hit
            for hit in self._objections(self.vocabulary.read(text))
            if speaker is None or self.library.objections[hit.id].raised_by in ("either", speaker)
        ]

    def _objections(self, utterance: ParsedText) -> list[ObjectionHit]:
        probabilities = self.classifier.probabilities(utterance)
        rule_hits = {hit.id: hit for hit in self.rules.match(utterance)}
        hits: list[ObjectionHit] = []
        for objection_id, objection in self.library.objections.items():
            probability = probabilities.get(objection_id, 0.0)
            rule = rule_hits.get(objection_id)
            if rule is not None and probability >= RULE_VETO_BELOW:
                hit = ObjectionHit(
                    objection_id,
                    max(rule.score, round(100 * probability, 1)),
                    rule.span,
                    rule.phrase,
                )
            elif probability >= LEARNED_THRESHOLD:
                hit = self._learned_hit(utterance, objection_id, probability)
            else:
                continue
            if objection.threshold is None or hit.score >= objection.threshold:
                hits.append(hit)
        priority = {key: value.priority for key, value in self.library.objections.items()}
        return sorted(hits, key=lambda hit: (-hit.score, -priority[hit.id]))

    def _learned_hit(
        self, utterance: ParsedText, objection_id: str, probability: float
    ) -> ObjectionHit:
        pushes = self.classifier.contributions(utterance, objection_id)
        if pushes:
            strongest = max(weight for _, weight in pushes)
            ordinals = [ordinal for ordinal, weight in pushes if weight >= strongest / 2]
            span = utterance.char_span(min(ordinals), max(ordinals))
        else:
            span = (0, 0)  # no single word carried it: nothing to light up
        return ObjectionHit(objection_id, round(100 * probability, 1), span, "(learned)")
