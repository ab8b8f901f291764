"""`p2p-assist match`: utterances on stdin, one JSON object per line on stdout."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from p2p_assist.basics.errors import UserError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "match",
        help="match utterances from stdin against the objection library (JSON lines out)",
        description="Reads one utterance per line on stdin; writes one JSON object per line.",
    )
    parser.add_argument(
        "--call",
        action="store_true",
        help="treat the lines as one call: apply cooldowns and per-call limits",
    )
    parser.add_argument("--speaker", choices=["reviewer", "clinician"], help="who said the lines")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from p2p_assist.library.load import load_library
    from p2p_assist.matching.gate import CallGate
    from p2p_assist.matching.matcher import Matcher

    if sys.stdin is None:  # started with stdin closed (`<&-`)
        raise UserError(
            "stdin is closed — pipe the utterances in, e.g. echo 'has she tried it' | "
            "p2p-assist match"
        )
    matcher = Matcher(load_library(args.prompts))
    gate = CallGate(matcher.library.objections) if args.call else None
    # Lines are decoded one at a time, so a bad byte on line 3 still leaves the answers to
    # lines 1 and 2 on stdout (a decoding wrapper reads ahead and fails before them).
    for line_number, raw in enumerate(sys.stdin.buffer, start=1):
        try:
            text = raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError as error:
            raise UserError(
                f"stdin: line {line_number}: not UTF-8 text (byte {error.start}) — "
                "convert the input to UTF-8 (e.g. iconv -t UTF-8)"
            ) from None
        result = matcher.match(text, args.speaker)
        _show_notices(matcher.notices)
        now = time.monotonic()
        objections = [
            {"id": hit.id, "score": hit.score}
            for hit in result.objections
            if gate is None or gate.admit(hit.id, now)
        ]
        record = {
            "text": text,
            "objections": objections,
            "captures": [{"field": c.field, "value": c.value} for c in result.captures],
            # heard, but the sentence around it says no card: an approval, a question, …
            "set_aside": [
                {"id": hit.id, "because": cue.kind, "words": cue.words}
                for hit, cue in result.set_aside
            ],
        }
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    _show_notices(matcher.notices)
    return 0


def _show_notices(notices: list[str]) -> None:
    for notice in notices:
        print(f"p2p-assist: {notice}", file=sys.stderr)
    notices.clear()
