"""`p2p-assist practice CASE`: the call screen fed by a recorded mock call, in real time."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from p2p_assist.cli.live import add_engine_options, pick_case, run_screen
from p2p_assist.errors import file_error
from p2p_assist.locations import cases_dir


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "practice", help="rehearse on the call screen with a recorded mock call"
    )
    add_engine_options(parser)
    parser.add_argument("--mock", default="mock-call", help="mock call NAME in the case folder")
    parser.add_argument("--audio", type=Path, help="any recording instead of the mock call")
    parser.add_argument("--speed", type=float, default=1.0, help="playback speed (1.0 = real time)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from p2p_assist.audio.wav import WavFileSource
    from p2p_assist.cases.store import check_case_id

    args.case_id = pick_case(args)
    if args.case_id is None:
        return 0
    audio = args.audio or cases_dir(args.cases) / check_case_id(args.case_id) / f"{args.mock}.wav"
    if not audio.is_file():
        script = audio.with_suffix(".toml")
        fix = (
            f"render it first: p2p-assist mock render {script} -o {audio}"
            if script.is_file()
            else "pass --audio FILE or --mock NAME of a mock call in the case folder"
        )
        raise file_error(audio, "no such recording", fix)
    source = WavFileSource(audio, paced=True, speed=args.speed)
    return run_screen(args, source, "practice")
