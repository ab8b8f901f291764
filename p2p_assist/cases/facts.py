"""Case facts as short lines a clinician can read aloud, each with what is missing.

Talking points name these facts as `{fact}`; a fact with gaps says so ("missing:
baseline PHQ-A") instead of leaving a blank the reviewer could exploit.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from p2p_assist.cases.model import Case, Guideline, Measure, Reading, Treatment


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
        "treatment_names": _spoken_list(
            [short_treatment_name(t.name) for t in case.treatments], "prior treatments"
        ),
        "headline_measure": _headline_measure(case),
        "guideline_names": _spoken_list(
            [_guideline_source(g) for g in case.guidelines], "guidelines"
        ),
    }
    return facts


def fact_bullets(case: Case, name: str) -> list[str]:
    """A fact as short one-line bullets for a card: what a clinician glances at mid-call.
    The whole fact is in the brief; a screen cuts a bullet that is still too long."""
    match name:
        case "treatments":
            return [_treatment_bullet(t) for t in case.treatments]
        case "contraindications":
            return [
                f"{short_treatment_name(t.name)}: {_clause(t.contraindications)}"
                for t in case.treatments
                if t.contraindications
            ]
        case "measures":
            return [_measure_bullet(m) for m in case.measures if m.readings]
        case "guidelines":
            return [f"{_guideline_source(g)}: {g.name}" for g in case.guidelines]
        case "alternatives":
            return [f"{a.option}: {_clause(a.why_not)}" for a in case.alternatives]
        case "evidence":
            return [_clause(e.citation) for e in case.evidence]
        case "criteria":
            return [f"✓ {_clause(c.text)}" for c in case.criteria]
        case "risk":
            return [_clause(case.risk)] if case.risk else []
        case "specialty_needed":
            return [f"Needs a {case.specialty_needed} reviewer"] if case.specialty_needed else []
        case "level_of_care":
            return [case.request.level_of_care] if case.request.level_of_care else []
    return []


def short_treatment_name(name: str) -> str:
    """ "Methotrexate" from "Methotrexate with folic acid 1 mg daily"."""
    head = re.split(r"\s+(?:with|plus|and)\s+|[,(;]", name, maxsplit=1)[0].strip()
    return head or name


def _month(value: dt.date | None) -> str:
    return value.strftime("%b %Y") if value else "?"


def _treatment_bullet(treatment: Treatment) -> str:
    until = _month(treatment.end) if treatment.end else "now"
    # Stopped: why it stopped says most; still going: how it is doing.
    why = _clause(treatment.stopped_because if treatment.end else treatment.outcome)
    span = f"{_month(treatment.start)}–{until}"
    return f"{short_treatment_name(treatment.name)} {span}" + (f": {why}" if why else "")


def _measure_bullet(measure: Measure) -> str:
    readings = measure.ordered()
    latest = readings[-1]
    name = short_name(measure.instrument)
    if len(readings) == 1:
        return f"{name} {number(latest.value)} ({_month(latest.date)})"
    first = readings[0]
    worse = _rank(measure, latest) > _rank(measure, first)
    change = "worse" if worse else ("better" if latest.value != first.value else "unchanged")
    band = measure.band(latest.value)
    return f"{name} {number(first.value)} → {number(latest.value)} ({change})" + (
        f", {band}" if band else ""
    )


def _guideline_source(guideline: Guideline) -> str:
    """ "ACR 2021" from "American College of Rheumatology (ACR)" and 2021."""
    acronym = re.search(r"\(([A-Z][A-Za-z&]{1,9})\)", guideline.organisation)
    who = acronym[1] if acronym else guideline.organisation
    return _join([who, str(guideline.year or "")], " ")


def _spoken_list(items: list[str], what: str, most: int = 4) -> Fact:
    """ "A, B, C and D", each once, the rest counted: a list said in one breath."""
    unique = list(dict.fromkeys(items))
    if not unique:
        return Fact("", [what])
    shown = unique[:most]
    rest = len(unique) - len(shown)
    if rest:
        return Fact(f"{', '.join(shown)} and {rest} more")
    return Fact(shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}")


def _headline_measure(case: Case) -> Fact:
    measured = [m for m in case.measures if m.readings]
    if not measured:
        return Fact("", ["severity measures"])
    return Fact(_measure_bullet(measured[0]))


def _clause(text: str) -> str:
    """The first clause of a sentence: enough to say at a glance."""
    return re.split(r"[.;:]\s|\s\(", text.strip(), maxsplit=1)[0].rstrip(".")


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
