"""The brief's appendix (`brief --full`): the whole case behind the one page, every reading,
treatment, alternative, guideline, study and criterion, with each gap `case check` finds
flagged where it matters and listed at the end."""

from __future__ import annotations

import datetime as dt

from p2p_assist.basics.formatting import one_line
from p2p_assist.cases.check import gaps
from p2p_assist.cases.facts import day, number, treatment_line
from p2p_assist.cases.model import Case, Measure
from p2p_assist.library.load import Library

GAP = "⚠"


def render_appendix(case: Case, library: Library) -> str:
    sections = [
        "# Appendix — the full record",
        _patient(case),
        _readings(case),
        _treatments(case),
        _alternatives(case),
        _guidelines(case),
        _evidence(case),
        _criteria(case),
        _ask(library),
        _gaps(case),
    ]
    return "\n\n".join(sections) + "\n"


def _patient(case: Case) -> str:
    lines = ["## Patient and diagnosis", ""]
    lines.append(f"{case.patient.describe()}. {case.patient.demographics}".strip())
    if not case.diagnoses:
        lines.append(f"- {GAP} no diagnosis recorded")
    for diagnosis in case.diagnoses:
        mark = " (primary)" if diagnosis is case.primary_diagnosis() else ""
        lines.append(f"- {diagnosis.code} {diagnosis.description}{mark}")
    if case.risk:
        lines += ["", f"**Risk now:** {one_line(case.risk)}"]
    return "\n".join(lines)


def _readings(case: Case) -> str:
    lines = ["## Every reading", ""]
    if not case.measures:
        return "\n".join([*lines, f"- {GAP} no severity scores recorded"])
    for measure in case.measures:
        flag = f" {GAP} no baseline" if len(measure.readings) < 2 else ""
        lines.append(f"- **{measure.instrument}**{_what(measure)}{flag}")
        for reading in measure.ordered():
            note = f" — {reading.note}" if reading.note else ""
            band = measure.band(reading.value)
            where = f" ({band})" if band else ""
            lines.append(f"  - {day(reading.date)}: {number(reading.value)}{where}{note}")
    return "\n".join(lines)


def _what(measure: Measure) -> str:
    better = "higher is better" if not measure.higher_is_worse else "lower is better"
    return f": {measure.what} ({better})" if measure.what else f" ({better})"


def _treatments(case: Case) -> str:
    lines = ["## Treatment history", ""]
    if not case.treatments:
        return "\n".join([*lines, f"- {GAP} no prior treatments recorded"])
    for treatment in sorted(case.treatments, key=lambda t: t.start or dt.date.max):
        flags = []
        if treatment.start is None:
            flags.append("no start date")
        if not treatment.dose:
            flags.append("no dose")
        if not treatment.outcome:
            flags.append("no outcome")
        flag = f" {GAP} {', '.join(flags)}" if flags else ""
        lines.append(f"- {treatment_line(treatment)}{flag}")
    return "\n".join(lines)


def _alternatives(case: Case) -> str:
    lines = ["## Why not a lower level of care or the alternative", ""]
    if not case.alternatives:
        return "\n".join([*lines, f"- {GAP} no alternatives addressed"])
    lines += [f"- **{a.option}:** {a.why_not}" for a in case.alternatives]
    return "\n".join(lines)


def _guidelines(case: Case) -> str:
    lines = ["## Guidelines", ""]
    if not case.guidelines:
        return "\n".join([*lines, f"- {GAP} no guideline cited"])
    for guideline in case.guidelines:
        year = f", {guideline.year}" if guideline.year else f" {GAP} year missing"
        says = f": {guideline.recommends}" if guideline.recommends else ""
        lines.append(f"- {guideline.name} ({guideline.organisation}{year}){says}")
    return "\n".join(lines)


def _evidence(case: Case) -> str:
    lines = ["## Published evidence", ""]
    if not case.evidence:
        return "\n".join([*lines, f"- {GAP} no published evidence cited"])
    lines += [f"- {e.citation}" + (f" — {e.finding}" if e.finding else "") for e in case.evidence]
    return "\n".join(lines)


def _criteria(case: Case) -> str:
    lines = ["## Policy criteria, point by point", ""]
    if not case.criteria:
        return "\n".join([*lines, f"- {GAP} the policy's criteria are not in the case"])
    for number_, criterion in enumerate(case.criteria, 1):
        met = criterion.evidence or f"{GAP} no evidence recorded"
        lines.append(f"{number_}. {criterion.text}\n   → {met}")
    return "\n".join(lines)


def _ask(library: Library) -> str:
    lines = ["## On the call, ask for", ""]
    lines += [f"- {item.label}: “{item.ask}”" for item in library.documentation.items]
    return "\n".join(lines)


def _gaps(case: Case) -> str:
    found = gaps(case)
    if not found:
        return "## Gaps\n\nNone found by `p2p-assist case check`."
    return "\n".join(["## Gaps to fix before the call", "", *(f"- {GAP} {gap}" for gap in found)])
