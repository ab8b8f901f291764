"""`p2p-assist mock render`: speak a mock-call script into a WAV plus its timeline."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    mock = subparsers.add_parser("mock", help="mock calls for demos and benchmarks")
    actions = mock.add_subparsers(dest="mock_command", metavar="ACTION", required=True)
    render = actions.add_parser("render", help="render a mock-call script (TOML) to a WAV")
    render.add_argument("script", type=Path, help="the script, e.g. cases/demo/mock-call.toml")
    render.add_argument(
        "-o", "--output", type=Path, help="WAV to write (default: the script name with .wav)"
    )
    render.add_argument(
        "--tts",
        choices=("flite", "espeak-ng"),
        help="speech synthesiser (default: flite if installed)",
    )
    render.set_defaults(handler=_render)


def _render(args: argparse.Namespace) -> int:
    from p2p_assist.mock.render import render_script
    from p2p_assist.mock.script import load_script
    from p2p_assist.mock.timeline import timeline_path

    script = load_script(args.script)
    out: Path = args.output or args.script.with_suffix(".wav")
    timeline = render_script(script, out, engine=args.tts)
    print(f"{out}: {timeline.duration:.1f} s, {len(timeline.turns)} turns ({timeline.tts})")
    for turn in timeline.turns:
        print(f"  {turn.start:7.2f}–{turn.end:7.2f}  {turn.speaker:<9}  {turn.text}")
    print(f"timeline: {timeline_path(out)}")
    return 0
