"""`p2p-assist mock new CASE` and `mock check FILE`: a mock call drafted from the clinician's
own case, and the check that it can be rendered and heard as written."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from p2p_assist.basics.errors import file_error

SCRIPT_NAME = "mock-call.toml"


def draft_script(args: argparse.Namespace) -> int:
    from p2p_assist.cases.store import check_case_id, load_case
    from p2p_assist.cases.where import find_case
    from p2p_assist.library.load import load_library
    from p2p_assist.library.mock_lines import load_mock_lines
    from p2p_assist.matching.matcher import Matcher
    from p2p_assist.report.mock_draft import check_objection_ids, draft_mock_call
    from p2p_assist.report.mock_toml import mock_script_toml

    home = find_case(args.cases, check_case_id(args.case_id))
    case = load_case(home.cases_dir, args.case_id)
    out: Path = args.output or home.files / SCRIPT_NAME
    _refuse_overwrite(out, args.force)
    library = load_library(args.prompts)
    wanted = (
        [oid.strip() for oid in args.objections.split(",") if oid.strip()]
        if (args.objections)
        else None
    )
    if wanted is not None:
        check_objection_ids(wanted, library)  # before the matcher is trained
    lines = load_mock_lines(args.prompts)
    draft = draft_mock_call(
        args.case_id, case, library, lines, Matcher(library), wanted, tough=args.tough
    )
    _write_private(out, mock_script_toml(draft, str(out)))
    print(
        f"wrote {out}: {len(draft.turns)} turns; the reviewer raises {', '.join(draft.objections)}"
    )
    print(f"next: edit it, then p2p-assist mock render {out}")
    return 0


def _refuse_overwrite(out: Path, force: bool) -> None:
    from p2p_assist.cli.output import refuse_own_file

    refuse_own_file(out)
    if out.is_dir():
        raise file_error(out, "is a folder", "give -o the name of the .toml file to write")
    if out.exists() and not force:
        raise file_error(
            out, "already exists", "pass -o NEW.toml to keep it, or --force to replace it"
        )


def _write_private(out: Path, text: str) -> None:
    from p2p_assist.basics.durable import write_atomic

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out, text.encode())
    except OSError as error:
        raise file_error(
            out, f"cannot write ({error.strerror or error})", "choose a folder you can write to"
        ) from None


def check_script(args: argparse.Namespace) -> int:
    """Exit 0 when the script is good (notes aside), 1 with one line per problem when not."""
    from p2p_assist.library.load import load_library
    from p2p_assist.matching.matcher import Matcher
    from p2p_assist.mock.script import load_script
    from p2p_assist.report.mock_check import script_notes, script_problems

    script = load_script(args.script)
    library = load_library(args.prompts)
    matcher = Matcher(library)
    problems = script_problems(script, library, matcher)
    for problem in problems:
        print(f"p2p-assist: {args.script}: {problem}", file=sys.stderr)
    for note in script_notes(script, matcher):
        print(f"p2p-assist: {args.script}: note: {note}", file=sys.stderr)
    if problems:
        return 1
    expected = sorted({oid for turn in script.turns for oid in turn.expect})
    raises = ", ".join(expected) or "no objection"
    print(f"{args.script}: {len(script.turns)} turns, good; raises {raises}")
    return 0
