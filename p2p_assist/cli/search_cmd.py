"""`p2p-assist search TEXT`: find what was said in any saved call, misspellings and all.

One line per hit, best first, so the output greps and pipes; exit 1 when nothing matched,
as grep does. Calls that could not be read in full are summed up in one line on stderr.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from p2p_assist.basics.errors import UserError

if TYPE_CHECKING:
    from p2p_assist.transcript.search import SearchHit, SearchResult


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "search",
        help="find words in every saved call transcript (fuzzy)",
        description="Searches the transcripts, notes and bookmarks of every saved call. "
        "Prints: case, call, time in the call (mm:ss), speaker and the line, best match first.",
    )
    parser.add_argument(
        "text", metavar="TEXT", nargs="?", help="what to find; recogniser misspellings still match"
    )
    parser.add_argument("--case", metavar="ID", help="only this case's calls (a demo's too)")
    parser.add_argument(
        "--objection", metavar="ID", help="only lines that raised this objection (e.g. severity)"
    )
    parser.add_argument(
        "--limit", metavar="N", type=_positive, default=50, help="at most N lines (default 50)"
    )
    parser.set_defaults(handler=run)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return int(text)


def run(args: argparse.Namespace) -> int:
    from p2p_assist.cases.where import find_case, folders_with_calls
    from p2p_assist.transcript.search import search_calls, skipped_summary

    if args.text is None and args.objection is None:
        raise UserError(
            "search needs TEXT, --objection ID or both — e.g. p2p-assist search interqual"
        )
    if args.objection is not None:
        _check_objection(args.objection, args.prompts)
    # A demo's calls are kept apart from the user's cases, in a folder of their own.
    if args.case:
        folders = [find_case(args.cases, args.case).cases_dir]
    else:
        folders = folders_with_calls(args.cases)
    result = _merged(
        [search_calls(f, args.text, args.case, args.objection, args.limit) for f in folders],
        args.limit,
    )
    for hit in result.hits:
        print(_hit_line(hit))
    if summary := skipped_summary(result):
        print(f"p2p-assist: {summary}", file=sys.stderr)
    if not result.hits:
        print("p2p-assist: no line matches", file=sys.stderr)
    return 0 if result.hits else 1


def _merged(parts: list[SearchResult], limit: int) -> SearchResult:
    """One result from each folder's: best first (a stable sort keeps each folder's order)."""
    from p2p_assist.transcript.search import SearchResult

    hits = sorted((hit for part in parts for hit in part.hits), key=lambda hit: -hit.score)
    problems = [problem for part in parts for problem in part.problems]
    return SearchResult(hits[:limit], problems, tuple(u for part in parts for u in part.unreadable))


def _check_objection(objection: str, prompts: str | None) -> None:
    """The id must be one the library in use defines (--prompts may add its own)."""
    from p2p_assist.library.load import load_library

    known = sorted(load_library(prompts).objections)
    if objection not in known:
        raise UserError(
            f"--objection {objection!r}: unknown objection — use one of: " + ", ".join(known)
        )


def _hit_line(hit: SearchHit) -> str:
    from p2p_assist.basics.formatting import clock, one_line

    unfinished = "  (unfinished)" if hit.unfinished else ""
    return (
        f"{hit.case_id}  {hit.stamp}  {clock(hit.seconds)}  "
        f"{hit.speaker}: {one_line(hit.text)}{unfinished}"
    )
