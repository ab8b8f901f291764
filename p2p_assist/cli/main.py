"""Entry point: builds the parser from the command modules and turns user errors into one line.

Each command module exposes `register(subparsers)`, which adds its parser and sets
`handler` to a function taking the parsed namespace and returning an exit code.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from p2p_assist import __version__
from p2p_assist.basics.errors import UserError
from p2p_assist.cli import COMMAND_MODULES


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="p2p-assist",
        description="Offline assistant for insurer peer-to-peer review calls.",
    )
    parser.add_argument("--version", action="version", version=f"p2p-assist {__version__}")
    parser.add_argument(
        "--cases",
        metavar="DIR",
        help="your case folder (default: $P2P_ASSIST_CASES, else ./cases if there is one, "
        "else the per-user data folder)",
    )
    parser.add_argument(
        "--prompts",
        metavar="DIR",
        help="prompt library (default: $P2P_ASSIST_PROMPTS or the bundled prompts/)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return int(handler(args))
    except UserError as error:
        print(f"p2p-assist: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
