"""The score card of a clinician's answers as plain text: shown when a practice replay ends,
by `practice CASE --score CALL`, and in the closing note of a rehearsal.

Each miss ends in the exact words to add, taken from the case ("say the Methotrexate dates:
Jun 2025 – Jan 2026"), so the next run can fix it without opening case.toml.
"""

from __future__ import annotations

from pathlib import Path

from p2p_assist.basics.formatting import clock, one_line, shorten
from p2p_assist.cases.model import Case
from p2p_assist.library.load import Library
from p2p_assist.report.answer_score import (
    FIRST_ANSWER_BY,
    USUAL_MINUTES,
    AnswerHeard,
    AnswerScore,
    FactHeard,
    score_answers,
)
from p2p_assist.report.digest import CallDigest, digest_call
from p2p_assist.transcript.records import NO_ANSWER_NOTE

QUOTE_WORDS = 30


def to_add(fact: FactHeard) -> str:
    """What to say next time for a fact partly or wholly missed."""
    name = fact.fact.name
    others = [part for part in fact.missed if part.what != "name"]
    details = " and ".join(part.what for part in others)
    words = "; ".join(part.words for part in others)
    if len(others) < len(fact.missed):  # the name itself was not heard
        return f"say {name} by name, with its {details}: {words}" if others else f"say {name}"
    return f"say the {name} {details}: {words}"


def answer_card(score: AnswerScore, heading: str, silences: int = 0) -> str:
    """`silences`: the reviewer's turns a rehearsal met with silence (its notes say so)."""
    parts = score.parts
    conduct_done = sum(check.done for check in score.conduct)
    lines = [
        f"{heading} — your answers scored {score.score}/100",
        f"facts said {round(100 * parts.get('facts', 0))}% · "
        f"conduct {conduct_done}/{len(score.conduct)} · "
        f"the call {round(100 * parts.get('call', 0))}%",
    ]
    if not score.answers:
        lines += ["", "No objection was raised, so no answer was scored."]
    for number, answer in enumerate(score.answers, 1):
        lines += ["", *_answer_lines(number, answer)]
    lines += ["", "Conduct"]
    lines += [
        f"  {'✓' if c.done else '✗'} {c.label}" + ("" if c.done else f" — {c.advice}")
        for c in score.conduct
    ]
    call = _call_lines(score)
    if silences:
        call.append(
            f"  ✗ silence after the reviewer's turn {silences} time(s) — answer every turn, "
            "if only to say the detail will follow in writing"
        )
    return "\n".join([*lines, "", "The call", *call]) + "\n"


def _answer_lines(number: int, answer: AnswerHeard) -> list[str]:
    lines = [
        f"{number}. {answer.title} — raised at {clock(answer.asked_at)}",
        f"   reviewer: “{shorten(one_line(answer.asked), QUOTE_WORDS)}”",
    ]
    if not answer.lines:
        return [*lines, "   ✗ no answer heard: answer the objection before the reviewer moves on"]
    said = " ".join(line.text for line in answer.lines)
    lines.append(f"   you ({answer.seconds:.0f} s): “{shorten(one_line(said), QUOTE_WORDS)}”")
    if not answer.facts:
        lines.append("   (the card names no case facts to check)")
    for fact in answer.facts:
        mark = f"   ✓ {fact.fact.name}" if fact.said else f"   ✗ {fact.fact.name} — {to_add(fact)}"
        lines.append(mark)
    return lines


def _call_lines(score: AnswerScore) -> list[str]:
    low, high = USUAL_MINUTES
    if score.first_answer is None:
        first = "  ✗ no answer to an objection was heard"
    else:
        ok = score.first_answer <= FIRST_ANSWER_BY
        first = f"  {'✓' if ok else '✗'} first answer at {clock(score.first_answer)}" + (
            "" if ok else f" — answer within {FIRST_ANSWER_BY / 60:g} minutes"
        )
    lines = [first]
    if score.one_sentence_at is not None:
        lines.append(f"  ✓ one-sentence answer said at {clock(score.one_sentence_at)}")
    if score.duration is not None:
        ok = low * 60 <= score.duration <= high * 60
        where = "" if ok else (" — shorter" if score.duration < low * 60 else " — longer")
        lines.append(
            f"  {'✓' if ok else '✗'} length {clock(score.duration)}"
            + (f"{where} than the usual {low} to {high} minutes" if where else "")
        )
    return lines


def saved_call_card(call_dir: Path, case: Case | None, library: Library) -> tuple[int, str]:
    """A saved call's answers scored (as corrected in review) and its card as text."""
    heading = f"{call_dir.parent.parent.name}, call {call_dir.name}"
    return digest_card(digest_call(call_dir, library), case, library, heading)


def digest_card(
    digest: CallDigest, case: Case | None, library: Library, heading: str
) -> tuple[int, str]:
    score = score_answers(digest.utterances, case, library, digest.duration)
    silences = sum(note.text.startswith(NO_ANSWER_NOTE) for note in digest.notes)
    return score.score, answer_card(score, heading, silences)
