"""Case facts as short lines a clinician can read aloud, each with what is missing.

Talking points name these facts as `{fact}`; a fact with gaps says so ("missing:
baseline PHQ-A") instead of leaving a blank the reviewer could exploit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from p2p_assist.cases.model import Case, Measure, Treatment


@dataclass(frozen=True)
class Fact:
    text: str
    missing: list[str] = field(default_factory=list)


def day(value: dt.date | None) -> str:
    return value.strftime("%-d %b %Y") if value else "?"


def number(value: float) -> str:
    return f"{value:g}"


def measure_line(measure: Measure) -> str:
    readings = measure.ordered()
    if not readings:
        return f"{measure.instrument}: no readings"
    first, last = readings[0], readings[-1]
    if len(readings) == 1:
        return f"{measure.instrument} {number(first.value)} ({day(first.date)})"
    delta = last.value - first.value
    worse = (delta > 0) == measure.higher_is_worse
    trend = "no change" if delta == 0 else ("worse" if worse else "better")
    return (
        f"{measure.instrument} {number(first.value)} ({day(first.date)}) → "
        f"{number(last.value)} ({day(last.date)}), {delta:+g}, {trend}"
    )


def treatment_line(treatment: Treatment) -> str:
    dose = f" {treatment.dose}" if treatment.dose else ""
    until = day(treatment.end) if treatment.end else "now"
    line = f"{treatment.name}{dose}, {day(treatment.start)} to {until}"
    if treatment.outcome:
        line += f": {treatment.outcome}"
    if treatment.stopped_because:
        line += f" (stopped: {treatment.stopped_because})"
    return line


def case_facts(case: Case) -> dict[str, Fact]:
    facts = {
        "patient": Fact(f"{case.patient.age}-year-old {case.patient.sex}"),
        "service": Fact(_join([case.request.service, case.request.level_of_care], ", ")),
        "level_of_care": _required(case.request.level_of_care, "level of care"),
        "denial_reason": Fact(f"“{case.denial.reason}”"),
        "criteria_set": _required(case.denial.criteria_set, "criteria set named in the denial"),
        "policy": _required(case.denial.policy, "policy citation"),
        "risk": _required(case.risk, "current risk"),
        "specialty_needed": _required(case.specialty_needed, "specialty needed"),
        "clinician": Fact(
            _join([case.clinician.name, case.clinician.credentials, case.clinician.specialty], ", ")
        ),
        "diagnosis": _diagnosis(case),
        "diagnoses": _listed([f"{d.description} ({d.code})" for d in case.diagnoses], "diagnoses"),
        "treatments": _treatments(case),
        "contraindications": _contraindications(case),
        "measures": _measures(case),
        "guidelines": _guidelines(case),
        "alternatives": _listed(
            [f"{a.option} — {a.why_not}" for a in case.alternatives], "alternatives considered"
        ),
        "evidence": _listed(
            [_join([e.citation, e.finding], ": ") for e in case.evidence], "published evidence"
        ),
        "criteria": _criteria(case),
    }
    return facts


def _join(parts: list[str], sep: str) -> str:
    return sep.join(part for part in parts if part)


def _required(text: str, what: str) -> Fact:
    return Fact(text) if text else Fact("", [what])


def _listed(lines: list[str], what: str) -> Fact:
    return Fact("; ".join(lines)) if lines else Fact("", [what])


def _diagnosis(case: Case) -> Fact:
    primary = case.primary_diagnosis()
    if primary is None:
        return Fact("", ["diagnosis"])
    return Fact(f"{primary.description} ({primary.code})")


def _treatments(case: Case) -> Fact:
    fact = _listed([treatment_line(t) for t in case.treatments], "prior treatments")
    for treatment in case.treatments:
        if treatment.start is None:
            fact.missing.append(f"start date of {treatment.name}")
        if not treatment.outcome:
            fact.missing.append(f"outcome of {treatment.name}")
    return fact


def _contraindications(case: Case) -> Fact:
    lines = [
        f"{t.name}: {_join([t.contraindications, t.stopped_because], '; ')}"
        for t in case.treatments
        if t.contraindications or t.stopped_because
    ]
    return _listed(lines, "contraindications or reasons for stopping")


def _measures(case: Case) -> Fact:
    fact = _listed([measure_line(m) for m in case.measures], "severity measures")
    for measure in case.measures:
        if len(measure.readings) < 2:
            fact.missing.append(f"baseline {measure.instrument}")
    return fact


def _guidelines(case: Case) -> Fact:
    lines = []
    for guideline in case.guidelines:
        year = f", {guideline.year}" if guideline.year else ""
        line = f"{guideline.name} ({guideline.organisation}{year})"
        lines.append(f"{line}: {guideline.recommends}" if guideline.recommends else line)
    fact = _listed(lines, "guidelines")
    fact.missing.extend(f"year of {g.name}" for g in case.guidelines if g.year is None)
    return fact


def _criteria(case: Case) -> Fact:
    fact = _listed([_join([c.text, c.evidence], " → ") for c in case.criteria], "policy criteria")
    fact.missing.extend(
        f"evidence for criterion {n}" for n, c in enumerate(case.criteria, 1) if not c.evidence
    )
    return fact
