"""The one-page brief to have in front of you on the call (at most about 450 words).

The seeds ask for one page with the conclusion first: the denial and the one-sentence answer,
then severity with baseline, worst and latest, then only the facts that answer *this* denial's
reason. The reason is read by the same matcher that listens to the call, and each objection it
finds names the case facts that answer it (`needs` in its prompt file): a step-therapy denial
gets the treatment history, a level-of-care denial the risk and why lower levels failed. If the
page is still too long, the last-ranked lines of the longest list give way; everything is in
the appendix that `--full` adds (`brief_appendix.py`).
"""

from __future__ import annotations

import datetime as dt

from p2p_assist.basics.formatting import one_line, plural, shorten
from p2p_assist.cases.check import gaps
from p2p_assist.cases.facts import day
from p2p_assist.cases.model import Case
from p2p_assist.library.load import Library
from p2p_assist.library.process import ProcessNote, process_notes, rules_for
from p2p_assist.matching.matcher import Matcher
from p2p_assist.report.brief_appendix import render_appendix
from p2p_assist.report.brief_sections import FOCUS, GAP, Section, severity

ONE_PAGE_WORDS = 450
FALLBACK_FOCUS = ("treatments", "criteria")


def word_count(text: str) -> int:
    return len(text.split())


def render_brief(
    case_id: str, case: Case, library: Library, today: dt.date, *, full: bool = False
) -> str:
    fixed_top = "\n\n".join([_top(case_id, case, library, today), _denial(case)])
    sections = [severity(case), *(FOCUS[name](case) for name in focus_facts(case, library))]
    sections = [section for section in sections if section.items]
    footer = _more(case)
    page = _fit(fixed_top, sections, footer)
    return page + "\n" + render_appendix(case, library) if full else page


def focus_facts(case: Case, library: Library) -> list[str]:
    """The case facts that answer the denial's stated reason, most telling first."""
    hits = Matcher(library).match(case.denial.reason).objections if case.denial.reason else []
    names: list[str] = []
    for hit in hits:
        names += [name for name in library.objections[hit.id].needs if name not in names]
    shown = [name for name in names if name in FOCUS]
    return shown or list(FALLBACK_FOCUS)


def _fit(top: str, sections: list[Section], footer: str) -> str:
    """Drop last-ranked lines until the page fits: severity's first (the facts that answer
    the denial matter more), then the longest list's; two lines of each always stay."""
    while True:
        page = "\n\n".join([top, *(s.render() for s in sections), footer]) + "\n"
        trimmable = [s for s in sections if len(s.items) > 2]
        if word_count(page) <= ONE_PAGE_WORDS or not trimmable:
            return page
        if sections[0] not in trimmable:
            trimmable.sort(key=lambda s: len(s.items), reverse=True)
        trimmable[0].drop_last()


def _top(case_id: str, case: Case, library: Library, today: dt.date) -> str:
    details = [
        case.payer.name,
        f"P2P line {case.payer.p2p_phone}" if case.payer.p2p_phone else "",
        f"ref {case.denial.reference_number}" if case.denial.reference_number else "",
    ]
    request = "; ".join(part for part in (case.request.service, case.request.frequency) if part)
    notes = process_notes(case, rules_for(library, case), today)
    process = [f"- {'⚠ ' if n.warning else ''}{n.text}" for n in notes if _on_page(n, case)]
    return "\n".join(
        [
            f"# Brief — {shorten(case.title or case_id, 10)}",
            "",
            " · ".join(detail for detail in details if detail),
            "",
            *process,
            "",
            f"**Requesting:** {shorten(request, 30)}",
        ]
    )


def _on_page(note: ProcessNote, case: Case) -> bool:
    """Warnings, the booking (or the window while none is booked) and the urgent track; the
    rest of the process is in `case check`."""
    window = note.text.startswith("P2P window") and case.prior_p2p == "none"
    return note.warning or window or note.text.startswith(("P2P booked", "Urgent"))


def _denial(case: Case) -> str:
    denial = case.denial
    when = f" {day(denial.letter_date)}" if denial.letter_date else ""
    answer = denial.one_sentence_answer or (
        f"{GAP} no one-sentence answer yet — write it in case.toml [denial] one_sentence_answer"
    )
    primary = case.primary_diagnosis()
    diagnosis = f" · {shorten(primary.description, 10)} ({primary.code})" if primary else ""
    return "\n".join(
        [
            f"**Denied{when}:** “{shorten(denial.reason, 80)}”",
            "",
            f"**Answer:** {one_line(answer)}",
            "",
            f"**Patient:** {case.patient.describe()}{diagnosis}",
        ]
    )


def _more(case: Case) -> str:
    """The same words with or without the appendix, so both pages keep the same lines."""
    found = gaps(case)
    flagged = f"{GAP} {plural(len(found), 'gap')} to fix; " if found else ""
    return f"*{flagged}every reading, treatment and criterion, and what to ask, is in `--full`.*"
