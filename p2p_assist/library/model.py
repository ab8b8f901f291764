"""Pydantic models of the prompt library files in `prompts/`.

Users tune noise here, without code: who may raise a card, phrasings that must
not raise it, cooldown, per-call limits and priority.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from p2p_assist.basics.strict import Strict
from p2p_assist.library.patterns import choice_pattern, compile_pattern

OBJECTION_IDS = (
    "step_therapy",
    "severity",
    "experimental",
    "proprietary_criteria",
    "stabilization_only",
    "alternative_treatment",
    "benefit_exclusion",
    "insufficient_documentation",
    "records_not_reviewed",
    "specialty_mismatch",
    "hostile_peer",
)

RaisedBy = Literal["reviewer", "clinician", "either"]
"""Whose words may raise an objection or say a documentation value."""
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


# Lengths beyond any real phrasing: a pasted megabyte would otherwise stall start-up for minutes
# (every phrase is tokenised, fuzzily indexed and trained on).
Phrase = Annotated[str, Field(max_length=200)]
Sentence = Annotated[str, Field(max_length=1000)]


class Triggers(Strict):
    """How an objection is recognised.

    `phrases` are things a reviewer says; every content word of a phrase must be
    heard (fuzzily, in any order, close together) for it to match, so short
    phrases act as concept rules and long ones as near-verbatim matches.
    """

    phrases: list[Phrase] = Field(min_length=1)
    exclude: list[Phrase] = Field(default=[], description="phrasings that must not raise it")
    examples: list[Sentence] = Field(
        default=[], description="whole sentences a reviewer might say; train the learned layer"
    )


class Rebuttal(Strict):
    points: list[str] = Field(min_length=1, description="talking points; {fact} placeholders")
    questions: list[str] = []
    route: str = Field(default="", description="the procedural route, when arguing is futile")


class Objection(Strict):
    id: str
    title: str
    summary: str = ""
    raised_by: RaisedBy = "reviewer"
    priority: int = Field(default=50, strict=True, ge=0, le=100)
    cooldown_seconds: float = Field(
        default=120.0, strict=True, ge=0, le=24 * 3600, allow_inf_nan=False
    )
    max_per_call: int | None = Field(default=None, strict=True, ge=1, le=1000)
    once_per_call: bool = False
    threshold: float | None = Field(default=None, strict=True, ge=0, le=100)
    needs: list[str] = Field(default=[], description="case facts the card cannot do without")
    say: str = Field(
        default="", description="one short line the clinician can say as it is; {fact} allowed"
    )
    bullets: list[str] = Field(
        default=[], description="case facts shown as one-line bullets under it, at most three"
    )
    triggers: Triggers
    rebuttal: Rebuttal

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("use lowercase letters, digits and underscores, e.g. step_therapy")
        return value

    @property
    def call_limit(self) -> int | None:
        return 1 if self.once_per_call else self.max_per_call


class SpokenTerms(Strict):
    """Words a clinician says for a term a case file uses (prompts/spoken_terms.toml)."""

    terms: dict[str, list[Sentence]] = {}


class Negatives(Strict):
    """Lines that must raise no card: small talk, logistics, the clinician's own case."""

    examples: list[Sentence] = []


class DocumentationItem(Strict):
    """Something to request and record on the call, and how to hear it being said."""

    id: str
    label: str
    ask: str = Field(description="what to say to get it")
    said_by: RaisedBy = "reviewer"
    kind: Literal["name", "number", "text", "choice", "decision"] = Field(
        default="text", description="decision: choices read with their whole sentence"
    )
    patterns: list[Sentence] = Field(
        default=[], description="regexes over normalised text; group 'value' is captured"
    )
    choices: dict[str, list[Sentence]] = Field(
        default={}, description="canonical value -> phrasings (sound-alikes included)"
    )
    with_version: bool = Field(default=False, description="append a version or year heard")
    cues: list[Phrase] = Field(default=[], description="phrases that mean it was addressed")
    min_digits: int = Field(
        default=0, ge=0, le=40, description="a number with fewer digits was probably misheard"
    )
    read_back: str = Field(
        default="", description="what to say when the value heard is doubtful (default: ask)"
    )

    @property
    def read_back_question(self) -> str:
        return self.read_back or f"Could you repeat the {self.label.lower()}?"

    @field_validator("patterns")
    @classmethod
    def _patterns_compile(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            if "value" not in compile_pattern(pattern).groupindex:
                raise ValueError(f"regex {pattern!r} has no (?P<value>...) group to capture")
        return patterns

    @field_validator("choices")
    @classmethod
    def _choices_compile(cls, choices: dict[str, list[str]]) -> dict[str, list[str]]:
        r"""Phrasings are regexes too ("approv\w*"): one that does not compile is named here,
        not found by a crash when the matcher starts."""
        for value, phrasings in choices.items():
            for phrasing in phrasings:
                try:
                    compile_pattern(choice_pattern(phrasing))
                except ValueError:
                    raise ValueError(
                        f"choice {value!r}: phrasing {phrasing!r} is not a valid regex "
                        "(put a backslash before ( ) [ ] + * ?)"
                    ) from None
        return choices


class Documentation(Strict):
    items: list[DocumentationItem] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Documentation:
        ids = [item.id for item in self.items]
        if len(ids) != len(set(ids)):
            raise ValueError("each documentation item needs a unique id")
        return self


class AgendaStep(Strict):
    title: str
    say: str = ""
    cues: list[str] = []


class Agenda(Strict):
    steps: list[AgendaStep] = Field(min_length=1)


Determination = Literal["approved", "partially approved", "denied", "pending"]


class NextStep(Strict):
    title: str
    detail: str
    deadline_days: int | None = Field(
        default=None, strict=True, ge=0, le=3650, description="days after the call or letter"
    )
    business_days: bool = Field(
        default=False, description="count working days (no weekends or federal holidays)"
    )
    when: Literal["always", "urgent", "not_urgent"] = "always"


class NextSteps(Strict):
    approved: list[NextStep] = []
    partially_approved: list[NextStep] = Field(default=[], alias="partially approved")
    denied: list[NextStep] = []
    pending: list[NextStep] = []
    reviewer_not_peer: list[NextStep] = []

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def for_outcome(self, outcome: Determination) -> list[NextStep]:
        return {
            "approved": self.approved,
            "partially approved": self.partially_approved,
            "denied": self.denied,
            "pending": self.pending,
        }[outcome]
