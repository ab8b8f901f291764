"""`p2p-assist case new|list|check`: the patient's case file."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from p2p_assist.basics.formatting import plural
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
    from p2p_assist.cases.check import not_ready, p2p_window
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
        missing = not_ready(entry.case)
        state = (
            f"NOT READY: {plural(len(missing), 'required field')} empty"
            if missing
            else p2p_window(entry.case, today).describe()
        )
        print(f"{entry.case_id:28} {entry.case.request.service[:40]:40}  {state}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Exit 0 when a call can go ahead (warnings included), 1 when required fields are empty."""
    from p2p_assist.cases.check import gaps, not_ready
    from p2p_assist.cases.store import case_path, load_case
    from p2p_assist.library.load import load_library
    from p2p_assist.library.process import process_notes

    folder = cases_dir(args.cases)
    case = load_case(folder, args.case_id)
    path = case_path(folder, args.case_id)
    library = load_library(args.prompts)
    missing = [item.describe() for item in not_ready(case)]
    rules = library.payer_rules.get(case.payer.rules)
    if rules is None:
        known = ", ".join(sorted(library.payer_rules))
        missing.append(f"payer.rules: no profile {case.payer.rules!r} — use one of: {known}")
    found = gaps(case)
    if missing or rules is None:
        print(f"{path}: NOT READY for a call — {plural(len(missing), 'field')} to fill in:")
        for item in missing:
            print(f"  - {item}")
        print(f"Then run `p2p-assist case check {args.case_id}` again", end="")
        print(f" ({plural(len(found), 'more gap')} to look at after that)." if found else ".")
        return 1
    print(f"{path}: ready for a call ({rules.name} P2P rules)")
    for note in process_notes(case, rules, args.today or dt.date.today()):
        print(f"  {'⚠' if note.warning else '•'} {note.text}")
    if found:
        print(f"Gaps a reviewer could exploit ({len(found)}):")
        for gap in found:
            print(f"  - {gap}")
    else:
        print("No gaps found.")
    return 0
