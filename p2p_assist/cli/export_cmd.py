"""`p2p-assist export CASE CALL --format txt|srt|json|md`: one call for other tools.

Writes to stdout, or with -o to a file only its owner can read: a transcript is patient
health information. Lines a crash damaged are skipped, named in one line on stderr, and the
rest is still exported.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from p2p_assist.basics.errors import file_error
from p2p_assist.cli.output import write_output

# The keys of transcript.export.EXPORTERS, spelled out so `--help` need not import it.
FORMATS = ("txt", "srt", "json", "md")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write one saved call as text, subtitles (SubRip), JSON or markdown",
        description="txt: [mm:ss] Speaker: text lines; srt: subtitles for the recording; "
        "json: call.json and every record; md: the transcript.md text (needs call.json).",
    )
    parser.add_argument("case_id", metavar="CASE")
    parser.add_argument(
        "call", metavar="CALL", help="the call folder's name under CASE/calls/, or latest"
    )
    parser.add_argument("--format", required=True, choices=FORMATS, help="output format")
    parser.add_argument(
        "-o", "--output", metavar="FILE", type=Path, help="write here (owner-only) not to stdout"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from p2p_assist.cases.where import find_case
    from p2p_assist.transcript.export import EXPORTERS
    from p2p_assist.transcript.layout import CALL_JSON
    from p2p_assist.transcript.reader import find_call, read_call

    call_dir = find_call(find_case(args.cases, args.case_id).cases_dir, args.case_id, args.call)
    call = read_call(call_dir)
    if args.format == "md" and call.meta is None:
        raise file_error(
            call_dir / CALL_JSON,
            "missing or damaged, and markdown's header is made from it",
            "export --format txt, which has the same lines",
        )
    if call.problems:
        print(
            f"p2p-assist: {call_dir}: {'; '.join(call.problems)} — exported the rest",
            file=sys.stderr,
        )
    write_output(EXPORTERS[args.format](call), args.output)
    return 0
