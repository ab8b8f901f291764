"""Practice runs of a case, oldest first, with their scores: progress over several runs.

A run saved before scoring existed, or whose score.json is damaged, is scored again from
its transcript rather than left out: the transcript is the source of truth.
"""

from __future__ import annotations

from pathlib import Path

from p2p_assist.basics.errors import UserError
from p2p_assist.cases.model import Case
from p2p_assist.library.load import Library
from p2p_assist.report.digest import digest_call
from p2p_assist.report.scores import SCORE_JSON, PracticeScore, load_score, score_practice
from p2p_assist.transcript.reader import list_calls, load_meta


def practice_runs(
    cases_dir: Path, case_id: str, case: Case | None, library: Library
) -> list[PracticeScore]:
    runs = []
    for call_dir in reversed(list_calls(cases_dir, case_id)):
        if not _is_practice(call_dir):
            continue
        runs.append(_score(call_dir, case, library))
    return runs


def _is_practice(call_dir: Path) -> bool:
    if (call_dir / SCORE_JSON).is_file():
        return True
    try:
        return load_meta(call_dir).kind == "practice"
    except (OSError, ValueError):
        return False


def _score(call_dir: Path, case: Case | None, library: Library) -> PracticeScore:
    try:
        return load_score(call_dir)
    except (OSError, UserError):
        return score_practice(digest_call(call_dir, library), case, library)
