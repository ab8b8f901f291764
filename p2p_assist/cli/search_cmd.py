"""`p2p-assist search TEXT`: find what was said in any saved call, misspellings and all.

One line per hit, best first, so the output greps and pipes; exit 1 when nothing matched,
as grep does. A line found only by how it sounds comes after those spelled like the query,
marked "(sounds alike)". Calls that could not be read in full are summed up in one line on
stderr, and so is anything the search index needed (made, rebuilt, or done without).
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
        help="find words in every saved call transcript (fuzzy, and by sound)",
        description="Searches the transcripts, notes and bookmarks of every saved call. "
        "Prints: case, call, time in the call (mm:ss), speaker and the line, best match first; "
        "lines that only sound like TEXT (the recogniser's mishearings) come last, marked "
        "(sounds alike). The calls are indexed in .search.sqlite in the cases folder, "
        "owner-only, updated as calls change; delete it at any time.",
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
    for notice in result.notices:
        print(f"p2p-assist: {notice}", file=sys.stderr)
    for hit in result.hits:
        print(_hit_line(hit))
    if summary := skipped_summary(result):
        print(f"p2p-assist: {summary}", file=sys.stderr)
    if not result.hits:
        print("p2p-assist: no line matches", file=sys.stderr)
    return 0 if result.hits else 1


def _merged(parts: list[SearchResult], limit: int) -> SearchResult:
    """One result from each folder's: best first (a stable sort keeps each folder's order)."""
    from p2p_assist.transcript.search import SearchResult, best_first

    hits = best_first(hit for part in parts for hit in part.hits)
    return SearchResult(
        hits[:limit],
        [problem for part in parts for problem in part.problems],
        tuple(line for part in parts for line in part.unreadable),
        tuple(line for part in parts for line in part.notices),
    )


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

    marks = "  (sounds alike)" * hit.by_sound + "  (unfinished)" * hit.unfinished
    said = f"{hit.speaker}: {one_line(hit.text)}"
    return f"{hit.case_id}  {hit.stamp}  {clock(hit.seconds)}  {said}{marks}"
