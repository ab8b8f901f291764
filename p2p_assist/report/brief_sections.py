"""The parts of the one-page brief that can shrink: severity and the facts that answer the
denial, each a heading and a list of lines in the order the clinician ranked them in the
case file. `brief.py` drops lines from the end of the longest list until the page fits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from p2p_assist.basics.formatting import shorten
from p2p_assist.cases.facts import measure_line, short_name
from p2p_assist.cases.model import Case

GAP = "⚠"


@dataclass
class Section:
    heading: str
    items: list[str]
    dropped: int = field(default=0)

    def render(self) -> str:
        lines = [self.heading, "", *self.items] if self.heading.startswith("#") else []
        if not lines:  # a one-line section: "**Risk now:** ..."
            return " ".join([self.heading, *self.items])
        if self.dropped:
            lines.append(f"- … {self.dropped} more in `--full`")
        return "\n".join(lines)

    def drop_last(self) -> None:
        self.items.pop()
        self.dropped += 1


def severity(case: Case) -> Section:
    if not case.measures:
        return Section("## Severity", [f"- {GAP} no severity scores recorded"])
    items = [f"- {measure_line(m, short_name(m.instrument))}" for m in case.measures]
    return Section("## Severity: baseline, worst, latest", items)


def _treatments(case: Case) -> Section:
    items = []
    for treatment in sorted(case.treatments, key=lambda t: t.start or dt.date.max):
        span = f"{_month(treatment.start)} to {_month(treatment.end) if treatment.end else 'now'}"
        ended = treatment.stopped_because if treatment.end else ""
        why = ended or treatment.outcome or f"{GAP} no outcome"
        items.append(f"- {shorten(treatment.name, 5)}, {span}: {shorten(why, 14)}")
    return Section("## What was tried, and why it stopped", items)


def _month(value: dt.date | None) -> str:
    return f"{value:%b %Y}" if value else "?"


def _alternatives(case: Case) -> Section:
    items = [f"- **{shorten(a.option, 6)}:** {shorten(a.why_not, 18)}" for a in case.alternatives]
    return Section("## Why not the lower level or the alternative", items)


def _risk(case: Case) -> Section:
    return Section("**Risk now:**", [shorten(case.risk, 40)] if case.risk else [])


def _criteria(case: Case) -> Section:
    items = []
    for number, criterion in enumerate(case.criteria, 1):
        met = shorten(criterion.evidence, 14) if criterion.evidence else f"{GAP} no evidence"
        items.append(f"{number}. {shorten(criterion.text, 10)} → {met}")
    return Section("## Policy criteria", items)


def _guidelines(case: Case) -> Section:
    items = []
    for guideline in case.guidelines:
        year = f", {guideline.year}" if guideline.year else ""
        items.append(f"- {shorten(guideline.name, 12)} ({guideline.organisation}{year})")
    return Section("## Guidelines", items)


def _evidence(case: Case) -> Section:
    items = [f"- {shorten(e.finding or e.citation, 20)}" for e in case.evidence]
    return Section("## Published evidence", items)


def _specialty(case: Case) -> Section:
    needed = case.specialty_needed
    items = [f"{needed} — ask for their specialty."] if needed else []
    return Section("**Reviewer should practise:**", items)


FOCUS: dict[str, Callable[[Case], Section]] = {
    "risk": _risk,
    "treatments": _treatments,
    "alternatives": _alternatives,
    "criteria": _criteria,
    "guidelines": _guidelines,
    "evidence": _evidence,
    "specialty_needed": _specialty,
}
