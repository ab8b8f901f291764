"""`p2p-assist call CASE`: the live call screen on the microphone."""

from __future__ import annotations

import argparse
from typing import Any

from p2p_assist.cli.live import add_engine_options, pick_case, run_screen


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("call", help="the live call screen, listening to the microphone")
    add_engine_options(parser)
    parser.add_argument("--device", help="input device index or part of its name (see `devices`)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from p2p_assist.audio.microphone import MicrophoneSource

    args.case_id = pick_case(args)
    if args.case_id is None:
        return 0
    device: int | str | None = (
        int(args.device) if args.device and args.device.isdigit() else args.device
    )
    return run_screen(args, MicrophoneSource(device), "live")
