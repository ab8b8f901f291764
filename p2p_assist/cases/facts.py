"""Case facts as short lines a clinician can read aloud, each with what is missing.

Talking points name these facts as `{fact}`; a fact with gaps says so ("missing:
baseline PHQ-A") instead of leaving a blank the reviewer could exploit.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from p2p_assist.cases.model import Case, Measure, Reading, Treatment


@dataclass(frozen=True)
class Fact:
    text: str
    missing: list[str] = field(default_factory=list)


def day(value: dt.date | None) -> str:
    return value.strftime("%-d %b %Y") if value else "?"


def number(value: float) -> str:
    return f"{value:g}"


def measure_line(measure: Measure, name: str | None = None) -> str:
    """Baseline, worst and latest, which way is better for this scale, and where it stands:
    "DAS28-CRP (lower is better): baseline and worst 6 (9 Jun 2025), latest 5.5 (2 Nov 2026)
    — 0.5 better than baseline, still high; best 4.5 (1 Dec 2025)"."""
    readings = measure.ordered()
    if not readings:
        return f"{measure.instrument}: no readings"
    better = "higher is better" if not measure.higher_is_worse else "lower is better"
    head = f"{name or measure.instrument} ({better})"
    latest = readings[-1]
    if len(readings) == 1:
        band = measure.band(latest.value)
        where = f"; {band}" if band else ""
        return f"{head}: {_reading(latest)} — no earlier reading to compare{where}"
    return f"{head}: {_points(measure, readings)} — {_standing(measure, readings)}"


def short_name(instrument: str) -> str:
    """ "PHQ-A" from "PHQ-A (PHQ-9 modified for adolescents)": explanations in brackets go,
    units and abbreviations ("(mg/L)", "(C-SSRS)") stay, and so does the part before a comma."""
    kept = re.sub(r"\s*\([^)]*\s[^)]*\)", "", instrument)
    return kept.split(",")[0].strip() or instrument


def _reading(reading: Reading) -> str:
    return f"{number(reading.value)} ({day(reading.date)})"


def _rank(measure: Measure, reading: Reading) -> float:
    """Larger is worse, whichever way the scale runs."""
    return reading.value if measure.higher_is_worse else -reading.value


def _points(measure: Measure, readings: list[Reading]) -> str:
    baseline, latest = readings[0], readings[-1]
    worst = max(readings, key=lambda reading: _rank(measure, reading))
    if worst is baseline:
        return f"baseline and worst {_reading(baseline)}, latest {_reading(latest)}"
    if worst is latest:
        return f"baseline {_reading(baseline)}, latest and worst {_reading(latest)}"
    return f"baseline {_reading(baseline)}, worst {_reading(worst)}, latest {_reading(latest)}"


def _standing(measure: Measure, readings: list[Reading]) -> str:
    baseline, latest = readings[0], readings[-1]
    change = round(_rank(measure, latest) - _rank(measure, baseline), 6)
    if change == 0:
        words = "same as baseline"
    else:
        words = f"{number(abs(change))} {'worse' if change > 0 else 'better'} than baseline"
    was, now = measure.band(baseline.value), measure.band(latest.value)
    if now:
        words += f", still {now}" if now == was else f", now {now}"
    best = min(readings, key=lambda reading: _rank(measure, reading))
    if _rank(measure, best) < _rank(measure, latest):
        words += f"; best {_reading(best)}"
    return words


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
        "patient": Fact(case.patient.describe()),
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
