"""note.md: the call written up for the claims file, ready to paste or attach to an appeal.

Facts only, each with where it came from: a value heard on the call carries its time, one
fixed by hand says so, one never heard is marked unconfirmed (with what the denial letter
says, when it says something). Objections are quoted in the reviewer's words with the
moment they were said, followed by the answer given.
"""

from __future__ import annotations

from p2p_assist.basics.formatting import clock, one_line
from p2p_assist.basics.vocabulary import SPEAKER_NAMES
from p2p_assist.cases.model import Case
from p2p_assist.library.load import Library
from p2p_assist.library.process import rules_or_generic
from p2p_assist.matching.captures import LOW_CONFIDENCE
from p2p_assist.report.deadlines import DatedStep, plan_after_call
from p2p_assist.report.digest import CallDigest, HeardValue, Moment
from p2p_assist.transcript.records import CallMeta

_KINDS = {
    "live": "live call",
    "practice": "practice run (rehearsal, not a payer decision)",
    "transcribed": "transcribed from a recording",
}
# What the denial letter already says, for items not confirmed on the call.
_FROM_LETTER = {"criteria_set": "criteria_set", "reference_number": "reference_number"}
_CONSENT = {
    "yes": "yes — the other party agreed to the call being transcribed",
    "no": "no — the other party declined, so transcription was off; the record is manual notes",
    "not asked": "not asked — the other party was not told the call was transcribed",
}


def render_note(digest: CallDigest, case: Case | None, library: Library) -> str:
    sections = [
        _heading(digest, case),
        _documentation(digest, case, library),
        _objections(digest),
        _requested(digest),
        _next_steps(digest, case, library),
        _footer(digest),
    ]
    return "\n\n".join(section for section in sections if section) + "\n"


def _heading(digest: CallDigest, case: Case | None) -> str:
    meta = digest.meta
    case_id = meta.case_id if meta else digest.call_dir.parent.parent.name
    lines = [f"# Peer-to-peer call note — case {case_id}", ""]
    lines += _call_lines(meta, digest)
    if case is not None:
        primary = case.primary_diagnosis()
        diagnosis = f" · {primary.description} ({primary.code})" if primary else ""
        letter = case.denial.letter_date
        dated = f"letter of {letter:%-d %b %Y}" if letter else "letter date not recorded"
        lines += [
            f"- Patient: {case.patient.describe()}{diagnosis}",
            f"- Requested: {_join(case.request.service, case.request.level_of_care)}",
            f"- Denial: {dated}{_reference(case)} — “{one_line(case.denial.reason)}”",
            f"- Requesting clinician: {_join(case.clinician.name, case.clinician.credentials)}",
            f"- Payer: {_join(case.payer.name, case.payer.plan)}",
        ]
    if digest.unfinished:
        lines += [
            "",
            "> **This call was not ended normally** (the app stopped or the file is incomplete); "
            f"the record below stops at {clock(digest.duration)}.",
        ]
    if digest.problems:
        lines += ["", "> Parts of the saved call could not be read: " + "; ".join(digest.problems)]
    return "\n".join(lines)


def _call_lines(meta: CallMeta | None, digest: CallDigest) -> list[str]:
    if meta is None:
        return [f"- Call: {digest.call_dir.name} (call.json unreadable: time and kind unknown)"]
    lines = [
        f"- Date: {meta.started:%-d %b %Y}, started {meta.started:%H:%M} (UTC{meta.started:%z}), "
        f"duration {clock(digest.duration)}",
        f"- Kind: {_KINDS[meta.kind]}",
        _audio_line(digest),
    ]
    if meta.consent is not None:
        lines.append(f"- Consent to transcribe: {_CONSENT[meta.consent]}")
    return lines


def _audio_line(digest: CallDigest) -> str:
    """Which file to play to check the note: one input has both sides of the call; with two,
    the first is the clinician and the second the reviewer."""
    if not digest.audio:
        return "- Audio: none was kept for this call (turned off with --no-audio or in case.toml)"
    if len(digest.audio) == 1:
        described = f"{digest.audio[0]} (both sides)"
    else:
        sides = zip(digest.audio, ("clinician", "reviewer"), strict=False)
        described = ", ".join(f"{name} ({side})" for name, side in sides)
    return f"- Audio: {described}, in calls/{digest.call_dir.name}/ beside the transcript"


def _reference(case: Case) -> str:
    number = case.denial.reference_number
    return f", reference {number}" if number else ""


def _join(*parts: str) -> str:
    return ", ".join(part for part in parts if part)


def _documentation(digest: CallDigest, case: Case | None, library: Library) -> str:
    lines = ["## Reviewer and documentation", ""]
    outcome = digest.meta.outcome if digest.meta else None
    entered = {
        "determination": outcome.determination if outcome else None,
        "reference_number": outcome.reference_number if outcome else None,
    }
    for item in library.documentation.items:
        value = _entered_or_heard(entered.get(item.id), digest.values.get(item.id))
        if value is None:
            letter = _letter_value(case, item.id)
            tail = f" (the denial letter gives: {letter})" if letter else ""
            lines.append(f"- {item.label}: **not heard — unconfirmed**{tail}")
        else:
            lines.append(f"- {item.label}: {value}")
    return "\n".join(lines)


def _entered_or_heard(entered: str | None, heard: HeardValue | None) -> str | None:
    if entered:
        if heard and heard.value.lower() != entered.lower() and heard.value != "mentioned":
            return f"{entered} (entered after the call; heard “{heard.value}”)"
        return f"{entered} (entered after the call)"
    if heard is None:
        return None
    others = (
        f"; also heard “{'”, “'.join(heard.also_heard)}”, not chosen" if heard.also_heard else ""
    )
    if heard.source == "corrected":
        return f"{heard.value} (entered by the clinician during the call{others})"
    if heard.source == "confirmed":
        when = f"at {clock(heard.seconds)}" if heard.seconds is not None else "in review"
        return f"{heard.value} (confirmed by the clinician {when}{others})"
    if heard.value == "mentioned":
        return f"discussed at {clock(heard.seconds)} (no value captured — confirm)"
    unsure = (
        f", the recogniser only {round(100 * heard.confidence)}% sure"
        if heard.confidence < LOW_CONFIDENCE
        else ""
    )
    waits = f" — {heard.detail}" if heard.detail else ""
    return (
        f"{heard.value}{waits} (heard at {clock(heard.seconds)}{unsure}{others}; "
        "**heard, not confirmed** — check against the recording)"
    )


def _letter_value(case: Case | None, item_id: str) -> str:
    if case is None or item_id not in _FROM_LETTER:
        return ""
    return str(getattr(case.denial, _FROM_LETTER[item_id]))


def _quote(moment: Moment) -> str:
    return f"> “{one_line(moment.text)}” — {SPEAKER_NAMES[moment.speaker]}, {clock(moment.seconds)}"


def _objections(digest: CallDigest) -> str:
    lines = ["## Objections raised", ""]
    if not digest.raised:
        lines += ["None were detected in the transcript.", ""]
        return "\n".join(lines + _withdrawn(digest)).rstrip()
    for number, raised in enumerate(digest.raised, 1):
        judged = " (confirmed in review)" if digest.verdicts.get(raised.objection_id) else ""
        lines += [f"### {number}. {raised.title} — {clock(raised.first.seconds)}{judged}", ""]
        lines += [_quote(raised.first), ""]
        if raised.answer:
            lines.append("Answer given:")
            lines += [
                f"- [{clock(m.seconds)}] {SPEAKER_NAMES[m.speaker]}: {one_line(m.text)}"
                for m in raised.answer
            ]
        else:
            lines.append("Answer given: not in the transcript — add it from memory.")
        again = [clock(seconds) for seconds in raised.times[1:]]
        if again:
            lines.append(f"Raised again at {', '.join(again)}.")
        lines.append("")
    return "\n".join(lines + _withdrawn(digest)).rstrip()


def _withdrawn(digest: CallDigest) -> list[str]:
    """Cards the screen showed and then withdrawn, and objections the clinician rejected in
    review: said, so the note matches the screen and the record."""
    lines: list[str] = []
    if digest.rejected:
        lines += ["### Rejected in review", ""]
        lines += [
            f"- {raised.title} at {clock(raised.first.seconds)}: the clinician reviewed the "
            f"call and says this was not an objection (“{one_line(raised.first.text)}”)."
            for raised in digest.rejected
        ]
        lines.append("")
    if not digest.withdrawn:
        return lines
    lines += ["### Shown on screen, then withdrawn", ""]
    lines += [
        f"- {card.title} at {clock(card.seconds)}, from the words “{one_line(card.heard)}”; "
        f"the whole sentence was “{one_line(card.final_text)}”, so it was not an objection."
        for card in digest.withdrawn
    ]
    return lines


def _requested(digest: CallDigest) -> str:
    lines = ["## Requested, promised and noted", ""]
    outcome = digest.meta.outcome if digest.meta else None
    if outcome and outcome.promised:
        when = f", by {outcome.by_when}" if outcome.by_when else ""
        lines.append(f"- Promised: {one_line(outcome.promised)}{when}")
    lines += [f"- Note at {clock(m.seconds)}: {one_line(m.text)}" for m in digest.notes]
    lines += [
        f"- Bookmark at {clock(m.seconds)}" + (f": {one_line(m.text)}" if m.text else "")
        for m in digest.bookmarks
    ]
    if len(lines) == 2:
        lines.append("Nothing was noted during the call.")
    return "\n".join(lines)


def next_steps_for(digest: CallDigest, case: Case | None, library: Library) -> list[DatedStep]:
    specialty = digest.values.get("reviewer_specialty")
    return plan_after_call(
        library.next_steps,
        case,
        digest.determination,
        specialty.value if specialty else None,
        digest.meta.started.date() if digest.meta else None,
        rules_or_generic(case, library),
    )


def _next_steps(digest: CallDigest, case: Case | None, library: Library) -> str:
    determination = digest.determination
    steps = next_steps_for(digest, case, library)
    heading = f"## Next steps ({determination})" if determination else "## Next steps"
    if not steps:
        return f"{heading}\n\nNo determination was recorded: confirm it with the plan in writing."
    return "\n".join([heading, "", *(_step_line(step) for step in steps)])


def _step_line(step: DatedStep) -> str:
    when = f" — **{step.when()}**" if step.due else ""
    basis = f" ({step.basis})" if step.basis else ""
    return f"- [ ] {step.title}{when}{basis}. {step.detail}"


def _footer(digest: CallDigest) -> str:
    return (
        "---\n"
        f"Full transcript: calls/{digest.call_dir.name}/transcript.md in the case folder. "
        "Times are minutes:seconds from the start of the call; quoted words are as "
        "transcribed by speech recognition."
    )
