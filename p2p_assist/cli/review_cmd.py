"""`p2p-assist review CASE`: the case's saved calls, to read back after the call."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "review", help="look back at a case's saved calls: transcript, moments and note"
    )
    parser.add_argument("case_id", metavar="CASE", help="the case folder name")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from p2p_assist.cases.where import find_case
    from p2p_assist.library.load import load_library
    from p2p_assist.transcript.layout import case_dir
    from p2p_assist.ui.app import Review, make_app

    folder = find_case(args.cases, args.case_id).cases_dir
    case_dir(folder, args.case_id)  # an unknown case is one line here, not an empty screen
    make_app(Review(folder, args.case_id, load_library(args.prompts))).run()
    return 0
