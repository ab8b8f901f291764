"""`p2p-assist call CASE`: the live call screen on the microphone."""

from __future__ import annotations

import argparse
from typing import Any

from p2p_assist.cli.live import add_engine_options, run_call


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("call", help="the live call screen, listening to the microphone")
    add_engine_options(parser)
    parser.add_argument("--device", help="input device index or part of its name (see `devices`)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from p2p_assist.audio.microphone import MicrophoneSource

    if args.device and args.device.isdigit():
        args.device = int(args.device)
    return run_call(
        args, "live", lambda case_id: (MicrophoneSource(args.device), None), MicrophoneSource
    )
