"""The practice score: how ready the case and the clinician were for the objections heard.

Three parts, each 0 to 1, averaged into a score out of 100 so runs can be compared:
evidence (the raised objections whose cards had every fact they need), documentation (the
checklist items captured) and agenda (the steps reached). Saved as score.json beside the
practice call, so `practice CASE --history` shows progress over runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pydantic import AwareDatetime, ValidationError

from p2p_assist.basics.durable import write_atomic
from p2p_assist.basics.errors import file_error
from p2p_assist.basics.strict import Strict
from p2p_assist.cases.model import Case
from p2p_assist.library.cards import render_card
from p2p_assist.library.load import Library
from p2p_assist.report.agenda_steps import step_times
from p2p_assist.report.digest import CallDigest

SCORE_JSON = "score.json"


class ObjectionReadiness(Strict):
    id: str
    title: str
    at: float | None
    missing: list[str]


class ChecklistItem(Strict):
    id: str
    label: str
    value: str | None


class AgendaTime(Strict):
    title: str
    started: float | None
    seconds: float


class PracticeScore(Strict):
    case_id: str
    stamp: str
    started: AwareDatetime | None
    duration: float | None
    objections: list[ObjectionReadiness]
    checklist: list[ChecklistItem]
    agenda: list[AgendaTime]
    prepare: list[str]
    evidence: float
    documentation: float
    coverage: float
    score: int

    def to_json(self) -> bytes:
        return self.model_dump_json(indent=2).encode() + b"\n"


def percent(share: float) -> str:
    return f"{round(100 * share)}%"


def score_practice(digest: CallDigest, case: Case | None, library: Library) -> PracticeScore:
    objections = [
        ObjectionReadiness(
            id=raised.objection_id,
            title=raised.title,
            at=raised.first.seconds,
            missing=_missing(raised.objection_id, case, library),
        )
        for raised in digest.raised
    ]
    checklist = [
        ChecklistItem(
            id=item.id,
            label=item.label,
            value=digest.values[item.id].value if item.id in digest.values else None,
        )
        for item in library.documentation.items
    ]
    agenda = [
        AgendaTime(title=step.title, started=step.started, seconds=round(step.seconds, 1))
        for step in step_times(library.agenda, digest.utterances, digest.duration or 0.0)
    ]
    evidence = _share(not o.missing for o in objections) if objections else 1.0
    documentation = _share(item.value is not None for item in checklist)
    coverage = _share(step.started is not None for step in agenda)
    meta = digest.meta
    return PracticeScore(
        case_id=meta.case_id if meta else digest.call_dir.parent.parent.name,
        stamp=digest.call_dir.name,
        started=meta.started if meta else None,
        duration=digest.duration,
        objections=objections,
        checklist=checklist,
        agenda=agenda,
        prepare=_prepare(objections, checklist, agenda, library),
        evidence=round(evidence, 3),
        documentation=round(documentation, 3),
        coverage=round(coverage, 3),
        score=round(100 * (evidence + documentation + coverage) / 3),
    )


def _missing(objection_id: str, case: Case | None, library: Library) -> list[str]:
    objection = library.objections.get(objection_id)
    if objection is None:
        return []
    return render_card(objection, case).missing


def _share(flags: Iterable[bool]) -> float:
    values = list(flags)
    return sum(values) / len(values) if values else 1.0


def _prepare(
    objections: list[ObjectionReadiness],
    checklist: list[ChecklistItem],
    agenda: list[AgendaTime],
    library: Library,
) -> list[str]:
    """What to fix before the real call, most useful first."""
    asks = {item.id: item.ask for item in library.documentation.items}
    found = [
        f"Add to the case for “{o.title}”: {', '.join(o.missing)}" for o in objections if o.missing
    ]
    found += [f"Not captured — {c.label}: ask “{asks[c.id]}”" for c in checklist if not c.value]
    found += [f"Practise this step: {step.title}" for step in agenda if step.started is None]
    return found


def save_score(call_dir: Path, score: PracticeScore) -> Path:
    path = call_dir / SCORE_JSON
    write_atomic(path, score.to_json())
    return path


def load_score(call_dir: Path) -> PracticeScore:
    path = call_dir / SCORE_JSON
    try:
        return PracticeScore.model_validate_json(path.read_bytes())
    except ValidationError as error:
        raise file_error(
            path, "damaged score", "run `p2p-assist note CASE CALL` to score the call again"
        ) from error
