"""`p2p-assist call CASE`: the live call screen on the microphone."""

from __future__ import annotations

import argparse
from typing import Any

from p2p_assist.cli.live import CallInputs, add_engine_options, run_call


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("call", help="the live call screen, listening to the microphone")
    add_engine_options(parser)
    parser.add_argument("--device", help="input device index or part of its name (see `devices`)")
    parser.add_argument(
        "--reviewer-device",
        metavar="NAME|INDEX",
        help="the call's far side as a second input (a softphone's audio through a monitor or "
        "loopback device, see `devices`); the microphone is then yours alone",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from p2p_assist.audio.microphone import MicrophoneSource

    args.device = _device(args.device)
    args.reviewer_device = _device(args.reviewer_device)

    def inputs(case_id: str) -> CallInputs:
        reviewer = args.reviewer_device
        return CallInputs(
            MicrophoneSource(args.device),
            reviewer=MicrophoneSource(reviewer) if reviewer is not None else None,
        )

    return run_call(args, "live", inputs, MicrophoneSource)


def _device(text: str | None) -> int | str | None:
    return int(text) if text and text.isdigit() else text
