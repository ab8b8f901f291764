"""Pydantic models of the playbook files in `prompts/`: the consent wording read at the start
of a call, the conduct reminders, and each payer's P2P process rules.

All three are words and numbers a clinician or a practice may need to change (another
state's rules, their own way of asking for consent) without touching code.
"""

from __future__ import annotations

from pydantic import Field

from p2p_assist.basics.strict import Strict


class Consent(Strict):
    """Transcribing a call records it, and some states (Illinois among them) need every
    party's agreement: the clinician reads `ask` before the app listens."""

    ask: str = Field(description="the disclosure read aloud, ending in a question")
    why: str = Field(default="", description="shown to the clinician, not read out")
    if_yes: str = Field(default="", description="what to say or do after a yes")
    if_no: str = Field(description="what to say after a no; transcription stays off")


class ConductPoint(Strict):
    title: str
    detail: str


class Conduct(Strict):
    """How to carry the call, shown at its start, and the two live reminders."""

    points: list[ConductPoint] = Field(min_length=1)
    long_turn_seconds: float = Field(
        default=60.0, gt=0, description="talking this long without a pause earns a reminder"
    )
    long_turn_reminder: str
    interrupt_reminder: str


class PayerRules(Strict):
    """One payer's (or one state's) rules for the P2P process. A limit left out is unknown
    for this payer, and the app says to ask rather than guessing a number."""

    name: str = Field(description="how the rules are named in messages, e.g. Illinois")
    source: str = Field(default="", description="where the rules come from")
    one_p2p_per_denial: bool = True
    contact_within_business_days: int | None = Field(
        default=None, ge=0, description="the plan contacts you to schedule within this"
    )
    held_within_business_days: int | None = Field(
        default=None, ge=0, description="the P2P happens within this of your request"
    )
    reattempts: int | None = Field(
        default=None, ge=0, description="further calls the reviewer makes if you miss one"
    )
    p2p_after_appeal: bool = Field(default=False, description="can a P2P follow an appeal")
    new_letter_within_business_days: int | None = Field(
        default=None, ge=0, description="a changed decision is confirmed in writing within"
    )
    who_may_hold: list[str] = Field(default=[], description="who can take the call")
