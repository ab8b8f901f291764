"""`p2p-assist match`: utterances on stdin, one JSON object per line on stdout."""

from __future__ import annotations

import argparse
import io
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

    matcher = Matcher(load_library(args.prompts))
    gate = CallGate(matcher.library.objections) if args.call else None
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="strict")
    out = sys.stdout
    line_number = 0
    try:
        for line in stdin:
            line_number += 1
            text = line.rstrip("\r\n")
            result = matcher.match(text, args.speaker)
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
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            out.flush()
    except UnicodeDecodeError as error:
        raise UserError(
            f"stdin: line {line_number + 1}: not UTF-8 text (byte {error.start}) — "
            "convert the input to UTF-8 (e.g. iconv -t UTF-8)"
        ) from None
    return 0
