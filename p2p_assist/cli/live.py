"""Shared by `call` and `practice`: build the session, then hand it to the call screen."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING, Any

from p2p_assist.audio.base import AudioSource
from p2p_assist.basics.errors import UserError
from p2p_assist.basics.vocabulary import CallKind

if TYPE_CHECKING:
    from p2p_assist.session.call import SpeakerAt


def add_engine_options(parser: Any) -> None:
    parser.add_argument("case_id", metavar="CASE", nargs="?", help="omit to pick from a list")
    parser.add_argument("--engine", choices=["auto", "vosk", "pocketsphinx"], default="auto")
    parser.add_argument("--model", help="Vosk model folder")
    parser.add_argument("--no-save", action="store_true", help="do not save the call to the case")


def pick_case(args: argparse.Namespace) -> str | None:
    """The case named on the command line, else the one picked on the opening screen."""
    if args.case_id:
        return str(args.case_id)
    from p2p_assist.cases.check import p2p_window
    from p2p_assist.cases.where import demo_cases, own_cases
    from p2p_assist.ui.picker import CasePicker

    today = dt.date.today()
    folder, entries = own_cases(args.cases)
    labelled = [("", entry) for entry in entries]
    labelled += [("demo · ", entry) for entry in demo_cases(args.cases)]
    rows = [
        (
            entry.case_id,
            label
            + (
                p2p_window(entry.case, today).describe()
                if entry.case
                else f"INVALID: {entry.problem}"
            ),
        )
        for label, entry in labelled
    ]
    if not rows:
        raise UserError(f"{folder}: no cases yet — create one with `p2p-assist case new ID`")
    return CasePicker(rows).run()


def run_screen(
    args: argparse.Namespace,
    source: AudioSource,
    kind: CallKind,
    turns: SpeakerAt | None = None,
) -> int:
    from pathlib import Path

    from p2p_assist.cases.check import p2p_window
    from p2p_assist.cases.store import load_case
    from p2p_assist.cases.where import find_case
    from p2p_assist.session.build import SessionPlan, build_session
    from p2p_assist.ui.app import CallApp, CallContext

    folder = find_case(args.cases, args.case_id).cases_dir
    case = load_case(folder, args.case_id)
    print("p2p-assist: loading the recogniser and the prompt library…", file=sys.stderr)
    plan = SessionPlan(
        folder,
        args.case_id,
        args.prompts,
        args.engine,
        Path(args.model) if args.model else None,
        kind,
        save=not args.no_save,
    )
    session = build_session(plan, source, keep_open=True, turns=turns)
    window = p2p_window(case, dt.date.today()).describe()
    context = CallContext(args.case_id, case, window)
    app = CallApp(session, context)
    app.run()
    session.stop()
    session.wait(10)
    reports = session.close_call()  # quit without "end call": still close the transcript
    if session.writer is not None:
        print(f"p2p-assist: call saved to {session.writer.call_dir}", file=sys.stderr)
    for line in reports.describe() if reports else []:
        print(f"p2p-assist: {line}", file=sys.stderr)
    return 0
