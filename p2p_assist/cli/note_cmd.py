"""`p2p-assist note CASE [CALL]`: write (again) the claims-file note of a saved call."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "note", help="write the call note (note.md) again; your own edits are never overwritten"
    )
    parser.add_argument("case_id", metavar="CASE")
    parser.add_argument(
        "call", metavar="CALL", nargs="?", help="call folder name (default: latest)"
    )
    parser.add_argument("--print", action="store_true", help="also print the note")
    parser.add_argument(
        "--sign",
        action="store_true",
        help="sign the note: it is final from then on, never regenerated",
    )
    parser.add_argument(
        "--by", metavar="NAME", help="who signs (default: the case's clinician, else your login)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from p2p_assist.cases.where import find_case
    from p2p_assist.cli.case_loading import case_or_none
    from p2p_assist.library.load import load_library
    from p2p_assist.report.after_call import write_reports
    from p2p_assist.transcript.reader import find_call

    folder = find_case(args.cases, args.case_id).cases_dir
    call_dir = find_call(folder, args.case_id, args.call)
    case = case_or_none(folder, args.case_id, "the note is written without the case's facts")
    reports = write_reports(call_dir, case, load_library(args.prompts))
    for problem in reports.digest.problems:
        print(
            f"p2p-assist: {call_dir}: {problem} (everything else is in the note)", file=sys.stderr
        )
    for line in reports.describe():
        print(f"p2p-assist: {line}", file=sys.stderr)
    if args.sign:
        from p2p_assist.report.signing import note_status, sign_note

        by = args.by or (case.clinician.name if case and case.clinician.name else getpass.getuser())
        sign_note(call_dir, by)
        print(f"p2p-assist: {note_status(call_dir).label}", file=sys.stderr)
    if args.print and reports.note is not None:
        sys.stdout.write(reports.note.path.read_text())
    return 1 if reports.problems else 0
