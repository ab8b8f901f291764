"""`p2p-assist case new|list|check`: the patient's case file."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from p2p_assist.basics.locations import cases_dir


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("case", help="create, list and check case files")
    commands = parser.add_subparsers(dest="case_command", metavar="ACTION", required=True)
    new = commands.add_parser("new", help="create cases/ID/case.toml from a template")
    new.add_argument("case_id", metavar="ID")
    new.set_defaults(handler=run_new)
    listing = commands.add_parser("list", help="list cases with their P2P window")
    listing.add_argument("--today", type=parse_date, help=argparse.SUPPRESS)
    listing.set_defaults(handler=run_list)
    check = commands.add_parser(
        "check", help="validate a case and list the gaps a reviewer could exploit"
    )
    check.add_argument("case_id", metavar="ID")
    check.add_argument(
        "--today", type=parse_date, help="date to compute the window from (YYYY-MM-DD)"
    )
    check.set_defaults(handler=run_check)


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-23") from None


def run_new(args: argparse.Namespace) -> int:
    from p2p_assist.cases.store import new_case

    path = new_case(cases_dir(args.cases), args.case_id)
    print(f"created {path} — fill it in, then run: p2p-assist case check {args.case_id}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from p2p_assist.cases.check import p2p_window
    from p2p_assist.cases.store import list_cases

    today = args.today or dt.date.today()
    entries = list_cases(cases_dir(args.cases))
    if not entries:
        print(f"no cases in {cases_dir(args.cases)} — create one with: p2p-assist case new ID")
        return 0
    for entry in entries:
        if entry.case is None:
            print(f"{entry.case_id:28} INVALID  {entry.problem}")
            continue
        window = p2p_window(entry.case, today).describe()
        print(f"{entry.case_id:28} {entry.case.request.service[:40]:40}  {window}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from p2p_assist.cases.check import gaps, procedure_notes
    from p2p_assist.cases.store import load_case

    folder = cases_dir(args.cases)
    case = load_case(folder, args.case_id)
    today = args.today or dt.date.today()
    print(f"{Path(folder, args.case_id, 'case.toml')}: valid")
    for line in procedure_notes(case, today):
        print(f"  • {line}")
    found = gaps(case)
    if found:
        print(f"Gaps a reviewer could exploit ({len(found)}):")
        for gap in found:
            print(f"  - {gap}")
    else:
        print("No gaps found.")
    return 0
