"""`p2p-assist brief CASE`: the one-page brief to have in front of you on the call."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from p2p_assist.cli.case_cmd import parse_date


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "brief", help="one-page markdown brief: the denial and your answer first, gaps flagged"
    )
    parser.add_argument(
        "--full", action="store_true", help="add the appendix: the whole case behind the page"
    )
    parser.add_argument("case_id", metavar="CASE")
    parser.add_argument("-o", "--output", type=Path, help="write to FILE (owner-only) not stdout")
    parser.add_argument("--today", type=parse_date, help="date for the P2P window (YYYY-MM-DD)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from p2p_assist.cases.store import load_case
    from p2p_assist.cases.where import find_case
    from p2p_assist.cli.output import write_output
    from p2p_assist.library.load import load_library
    from p2p_assist.report.brief import render_brief

    case = load_case(find_case(args.cases, args.case_id).cases_dir, args.case_id)
    today = args.today or dt.date.today()
    text = render_brief(args.case_id, case, load_library(args.prompts), today, full=args.full)
    write_output(text, args.output)
    if args.output:
        print(f"p2p-assist: brief written to {args.output}", file=sys.stderr)
    return 0
