"""The case file (`cases/<id>/case.toml`): everything a clinician needs at their fingertips.

Patients are de-identified by design: the model has no field for a name, and extra
fields are rejected, so a name cannot be added by accident.

Fields a call cannot go ahead without (age, the service, the denial's date and reason, ...)
may still be left empty here: a half-filled case loads, and `case check` lists what is
missing instead of refusing the whole file.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, field_validator

from p2p_assist.basics.strict import Strict

# Bounds on every number and date, so arithmetic on them (a window, an appeal deadline, a
# change in a score) can never overflow or turn to nan: a typo such as 9999-12-31 or
# p2p_window_days = 1e9 is one line at load time, not a crash in every command using the case.
CaseDate = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2100, 12, 31))]
Days = Annotated[int, Field(strict=True, ge=0, le=3650)]
Hours = Annotated[int, Field(strict=True, ge=0, le=24 * 90)]
Score = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=-1e9, le=1e9)]


class Clinician(Strict):
    name: str = ""
    credentials: str = ""
    specialty: str = ""
    organisation: str = ""
    phone: str = ""


class Patient(Strict):
    age: int | None = Field(default=None, strict=True, ge=0, le=120, description="in years")
    sex: str = ""
    demographics: str = ""

    def describe(self) -> str:
        """ "52-year-old female"; whatever is unknown is said to be, never shown as 0."""
        age = f"{self.age}-year-old" if self.age is not None else "age not recorded,"
        return f"{age} {self.sex or 'sex not recorded'}"


class Payer(Strict):
    name: str = ""
    plan: str = ""
    p2p_window_days: Days = Field(default=10, description="calendar days from the denial letter")
    p2p_phone: str = ""
    appeal_deadline_days: Days = 180
    expedited_decision_hours: Hours = 72
    rules: str = Field(
        default="generic",
        description="the payer's P2P process rules: a profile in prompts/payer_rules/",
    )


class Request(Strict):
    service: str = ""
    level_of_care: str = ""
    codes: list[str] = []
    frequency: str = ""
    start_date: CaseDate | None = None
    urgent: bool = False

    @property
    def needs_expedited(self) -> bool:
        """Urgent care, or a denied inpatient stay, goes on the expedited track."""
        return self.urgent or "inpatient" in self.level_of_care.lower()


class Denial(Strict):
    letter_date: CaseDate | None = None
    reason: str = Field(default="", description="the stated reason, in the payer's own words")
    reason_code: str = ""
    policy: str = ""
    criteria_set: str = ""
    reference_number: str = ""
    one_sentence_answer: str = Field(default="", description="the clinician's answer to the reason")


class Diagnosis(Strict):
    code: str
    description: str
    primary: bool = False


class Reading(Strict):
    date: CaseDate
    value: Score
    note: str = ""


class Band(Strict):
    """A named range of a scale ("moderate"), from `at_least` up to the next band."""

    at_least: float
    label: str


class Measure(Strict):
    instrument: str
    what: str = ""
    higher_is_worse: bool = True
    bands: list[Band] = Field(default=[], description="the scale's named ranges, lowest first")
    readings: list[Reading] = []

    @field_validator("bands")
    @classmethod
    def _bands_ascend(cls, bands: list[Band]) -> list[Band]:
        starts = [band.at_least for band in bands]
        if starts != sorted(set(starts)):
            raise ValueError("list bands lowest first, each with a different at_least")
        return bands

    def ordered(self) -> list[Reading]:
        return sorted(self.readings, key=lambda reading: reading.date)

    def band(self, value: float) -> str | None:
        """The named range `value` falls in, if the scale's ranges are given."""
        below = [band.label for band in self.bands if band.at_least <= value]
        return below[-1] if below else None


class Treatment(Strict):
    name: str
    dose: str = ""
    start: CaseDate | None = None
    end: CaseDate | None = None
    outcome: str = ""
    stopped_because: str = ""
    contraindications: str = ""


class Alternative(Strict):
    """An option a reviewer may propose instead, and why it is not adequate."""

    option: str
    why_not: str


class Guideline(Strict):
    name: str
    organisation: str
    year: int | None = Field(default=None, strict=True, ge=1950, le=2100)
    recommends: str = ""


class Evidence(Strict):
    """Published support for the requested service (trials, approvals, reviews)."""

    citation: str
    finding: str = ""


class Criterion(Strict):
    text: str = Field(description="the payer policy's criterion")
    evidence: str = Field(default="", description="how this patient meets it")


class Case(Strict):
    title: str = ""
    clinician: Clinician
    patient: Patient
    payer: Payer
    request: Request
    denial: Denial
    diagnoses: list[Diagnosis] = []
    measures: list[Measure] = []
    treatments: list[Treatment] = []
    alternatives: list[Alternative] = []
    guidelines: list[Guideline] = []
    evidence: list[Evidence] = []
    criteria: list[Criterion] = []
    risk: str = Field(default="", description="current safety risk and why it persists")
    specialty_needed: str = Field(
        default="", description="the reviewer specialty this case calls for"
    )
    prior_p2p: Literal["none", "held", "scheduled"] = "none"
    prior_p2p_on: dt.date | None = Field(
        default=None, description="the day the P2P was held, or is scheduled for"
    )
    p2p_requested_on: dt.date | None = Field(
        default=None, description="the day you asked the plan for a P2P"
    )
    appeal_filed_on: dt.date | None = Field(
        default=None, description="the day a written appeal was filed (no P2P after it)"
    )
    notes: str = ""
    keep_audio: bool = Field(
        default=True, description="keep each call's audio beside its transcript (FLAC)"
    )
    audio_retention_days: int | None = Field(
        default=None, ge=1, description="delete kept audio older than this at start-up"
    )

    def primary_diagnosis(self) -> Diagnosis | None:
        for diagnosis in self.diagnoses:
            if diagnosis.primary:
                return diagnosis
        return self.diagnoses[0] if self.diagnoses else None
