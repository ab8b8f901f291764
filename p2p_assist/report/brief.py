"""The one-page brief to have in front of you on the call: the denial and the answer to it
first, then the facts that carry the argument, with every gap `case check` finds flagged
where it matters and listed at the end."""

from __future__ import annotations

import datetime as dt

from p2p_assist.cases.check import gaps, p2p_window
from p2p_assist.cases.facts import measure_line, treatment_line
from p2p_assist.cases.model import Case
from p2p_assist.library.load import Library

GAP = "⚠"


def render_brief(case_id: str, case: Case, library: Library, today: dt.date) -> str:
    sections = [
        _top(case_id, case, today),
        _denial(case),
        _patient(case),
        _severity(case),
        _treatments(case),
        _alternatives(case),
        _guidelines(case),
        _criteria(case),
        _ask(library),
        _gaps(case),
    ]
    return "\n\n".join(section for section in sections if section) + "\n"


def _top(case_id: str, case: Case, today: dt.date) -> str:
    title = case.title or case_id
    details = [
        p2p_window(case, today).describe(),
        case.payer.name,
        f"P2P line {case.payer.p2p_phone}" if case.payer.p2p_phone else "",
        f"reference {case.denial.reference_number}" if case.denial.reference_number else "",
    ]
    request = "; ".join(
        part
        for part in (case.request.service, case.request.level_of_care, case.request.frequency)
        if part
    )
    urgent = " **Urgent: ask for expedited review.**" if case.request.urgent else ""
    return "\n".join(
        [
            f"# Brief — {title}",
            "",
            " · ".join(detail for detail in details if detail),
            "",
            f"**Requesting:** {request}.{urgent}",
        ]
    )


def _denial(case: Case) -> str:
    denial = case.denial
    basis = "; ".join(part for part in (denial.policy, denial.criteria_set) if part)
    answer = (
        denial.one_sentence_answer
        or f"{GAP} no one-sentence answer yet — write it in case.toml [denial] one_sentence_answer"
    )
    lines = [
        "## The denial, and the answer",
        "",
        f"**Denied ({denial.letter_date:%-d %b %Y}):** “{' '.join(denial.reason.split())}”",
    ]
    if basis:
        lines.append(f"*Basis: {basis}*")
    lines += ["", f"**Answer:** {answer}"]
    return "\n".join(lines)


def _patient(case: Case) -> str:
    lines = ["## Patient and diagnosis", ""]
    who = f"{case.patient.age}-year-old {case.patient.sex}"
    lines.append(f"{who}. {case.patient.demographics}".strip())
    if not case.diagnoses:
        lines.append(f"- {GAP} no diagnosis recorded")
    for diagnosis in case.diagnoses:
        mark = " (primary)" if diagnosis is case.primary_diagnosis() else ""
        lines.append(f"- {diagnosis.code} {diagnosis.description}{mark}")
    if case.risk:
        lines += ["", f"**Risk now:** {case.risk}"]
    return "\n".join(lines)


def _severity(case: Case) -> str:
    lines = ["## Severity: baseline → latest (change)", ""]
    if not case.measures:
        return "\n".join([*lines, f"- {GAP} no severity scores recorded"])
    for measure in case.measures:
        flag = f" {GAP} no baseline" if len(measure.readings) < 2 else ""
        lines.append(f"- {measure_line(measure)}{flag}")
    return "\n".join(lines)


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


def _criteria(case: Case) -> str:
    lines = ["## Policy criteria, point by point", ""]
    if not case.criteria:
        return "\n".join([*lines, f"- {GAP} the policy's criteria are not in the case"])
    for number, criterion in enumerate(case.criteria, 1):
        met = criterion.evidence or f"{GAP} no evidence recorded"
        lines.append(f"{number}. {criterion.text}\n   → {met}")
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
