"""The answer score card on the command line: after a practice replay, and for any saved call
with `practice CASE --score CALL`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from p2p_assist.basics.errors import UserError


def print_answer_card(call_dir: Path, prompts: str | None) -> None:
    """Shown when a practice replay ends: the recorded clinician lines scored. A failure here
    is one line: the call itself is already saved."""
    from p2p_assist.cli.case_loading import case_or_none
    from p2p_assist.library.load import load_library
    from p2p_assist.report.answer_card import saved_call_card

    case_dir = call_dir.parent.parent
    case = case_or_none(case_dir.parent, case_dir.name, "the answers are scored without facts")
    try:
        _, card = saved_call_card(call_dir, case, load_library(prompts))
    except (OSError, UserError) as error:
        print(f"p2p-assist: cannot score the answers ({error})", file=sys.stderr)
        return
    print(card, end="")


def show_score(args: argparse.Namespace) -> int:
    from p2p_assist.cases.store import check_case_id
    from p2p_assist.cases.where import find_case
    from p2p_assist.transcript.reader import find_call

    if not args.case_id:
        raise UserError("practice --score: name the case — p2p-assist practice CASE --score CALL")
    folder = find_case(args.cases, check_case_id(args.case_id)).cases_dir
    print_answer_card(find_call(folder, args.case_id, args.score), args.prompts)
    return 0


def answer_scores(folder: Path, case_id: str, stamps: list[str], prompts: str | None) -> list[str]:
    """Each run's answer score for the history table ("-" when it cannot be read)."""
    from p2p_assist.cli.case_loading import case_or_none
    from p2p_assist.library.load import load_library
    from p2p_assist.report.answer_card import saved_call_card
    from p2p_assist.transcript.layout import calls_dir

    case = case_or_none(folder, case_id, "answers are scored without the case's facts")
    library = load_library(prompts)
    scores = []
    for stamp in stamps:
        try:
            scores.append(
                str(saved_call_card(calls_dir(folder, case_id) / stamp, case, library)[0])
            )
        except (OSError, UserError):
            scores.append("-")
    return scores
