"""`p2p-assist case new|list|check`: the patient's case file."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any

from p2p_assist.basics.formatting import plural
from p2p_assist.basics.locations import cases_dir

if TYPE_CHECKING:
    from p2p_assist.cases.store import CaseEntry


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("case", help="create, list and check case files")
    commands = parser.add_subparsers(dest="case_command", metavar="ACTION", required=True)
    new = commands.add_parser("new", help="create cases/ID/case.toml from a template")
    new.add_argument("case_id", metavar="ID")
    new.set_defaults(handler=run_new)
    listing = commands.add_parser(
        "list", help="list your cases with their P2P window, and the demo cases"
    )
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
    from p2p_assist.basics.locations import demo_calls_dir, demos_dir
    from p2p_assist.cases.where import demo_cases, own_cases

    today = args.today or dt.date.today()
    folder, entries = own_cases(args.cases)
    demos = demo_cases(args.cases)
    if not demos:  # a checkout's cases/ holds the demos itself: one plain list
        for entry in entries:
            print(case_row(entry, today))
        if not entries:
            print(f"no cases in {folder} — create one with: p2p-assist case new ID")
        return 0
    print(f"Your cases ({folder}):")
    for entry in entries:
        print("  " + case_row(entry, today))
    if not entries:
        print("  none yet — start your own with: p2p-assist case new ID")
    print(f"\nDemo cases, shipped in {demos_dir()} (their calls are saved in {demo_calls_dir()}):")
    for entry in demos:
        print("  " + case_row(entry, today))
    print(f"Try one: p2p-assist practice {demos[0].case_id}")
    return 0


def case_row(entry: CaseEntry, today: dt.date) -> str:
    from p2p_assist.cases.check import not_ready, p2p_window

    if entry.case is None:
        return f"{entry.case_id:28} INVALID  {entry.problem}"
    missing = not_ready(entry.case)
    state = (
        f"NOT READY: {plural(len(missing), 'required field')} empty"
        if missing
        else p2p_window(entry.case, today).describe()
    )
    return f"{entry.case_id:28} {entry.case.request.service[:40]:40}  {state}"


def run_check(args: argparse.Namespace) -> int:
    """Exit 0 when a call can go ahead (warnings included), 1 when required fields are empty."""
    from p2p_assist.cases.check import gaps, not_ready
    from p2p_assist.cases.store import CASE_FILE, case_path, load_case
    from p2p_assist.cases.where import find_case
    from p2p_assist.library.load import load_library
    from p2p_assist.library.process import process_notes

    home = find_case(args.cases, args.case_id)
    case = load_case(home.cases_dir, args.case_id)
    path = home.files / CASE_FILE if home.demo else case_path(home.cases_dir, args.case_id)
    demo = " (a demo case shipped with p2p-assist)" if home.demo else ""
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
    print(f"{path}: ready for a call{demo} ({rules.name} P2P rules)")
    for note in process_notes(case, rules, args.today or dt.date.today()):
        print(f"  {'⚠' if note.warning else '•'} {note.text}")
    if found:
        print(f"Gaps a reviewer could exploit ({len(found)}):")
        for gap in found:
            print(f"  - {gap}")
    else:
        print("No gaps found.")
    return 0
