"""Entry point: builds the parser from the command modules and turns user errors into one line.

Each command module exposes `register(subparsers)`, which adds its parser and sets
`handler` to a function taking the parsed namespace and returning an exit code.
"""

from __future__ import annotations

import argparse
import io
import os
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
        _silence_stdout()
        return 0
    except OSError as error:
        # The commands turn the failures they expect into their own lines; this is the net
        # for the rest (a folder made unreadable, a disk gone), still one line, not a trace.
        where = f"{error.filename}: " if error.filename else ""
        print(
            f"p2p-assist: {where}{error.strerror or error} — check the path, its permissions "
            "and the free space",
            file=sys.stderr,
        )
        return 1


def _silence_stdout() -> None:
    """The reader went away (`… | head`): point stdout at /dev/null so the flush at exit
    does not print a BrokenPipeError of its own."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        return  # stdout is not a real file (a test's capture): nothing will flush to a pipe
