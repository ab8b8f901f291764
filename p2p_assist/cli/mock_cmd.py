"""`p2p-assist mock new|check|render`: draft a mock call from a case, check it, speak it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from p2p_assist.basics.vocabulary import VOICE_CHANNELS

if TYPE_CHECKING:
    from p2p_assist.mock.script import MockScript

SPEAKERS = ("reviewer", "clinician")


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
    render.add_argument(
        "--channel",
        action="append",
        default=[],
        type=_channel_choice,
        metavar="[SPEAKER=]CHANNEL",
        help="how a voice reaches the microphone: clean, phone or speakerphone; "
        "`reviewer=phone` sets one speaker, a bare name sets both (repeatable; overrides the "
        "script's [channel] table, whose defaults are reviewer=speakerphone, clinician=clean)",
    )
    render.set_defaults(handler=_render)
    new = actions.add_parser("new", help="draft a mock-call script (TOML) from a case")
    new.add_argument("case_id", metavar="CASE")
    new.add_argument(
        "-o", "--output", type=Path, help="script to write (default: CASE's mock-call.toml)"
    )
    new.add_argument(
        "--objections", metavar="ID,ID", help="the objections to raise, in order (ids)"
    )
    new.add_argument(
        "--tough", action="store_true", help="harder wording, more follow-ups, a denial"
    )
    new.add_argument("--force", action="store_true", help="replace the script if it exists")
    new.set_defaults(handler=_new)
    check = actions.add_parser("check", help="check a mock-call script against the library")
    check.add_argument("script", type=Path, help="the script, e.g. cases/ID/mock-call.toml")
    check.set_defaults(handler=_check)


def _channel_choice(value: str) -> tuple[str | None, str]:
    speaker, _, channel = value.rpartition("=")
    if speaker and speaker not in SPEAKERS:
        raise argparse.ArgumentTypeError(f"unknown speaker {speaker!r}: use reviewer or clinician")
    if channel not in VOICE_CHANNELS:
        raise argparse.ArgumentTypeError(
            f"unknown channel {channel!r}: use {', '.join(VOICE_CHANNELS)}"
        )
    return speaker or None, channel


def with_channels(script: MockScript, choices: list[tuple[str | None, str]]) -> MockScript:
    """The script with its [channel] table overridden by the command line's choices."""
    table = script.channel.model_dump()
    for speaker, channel in choices:
        table.update({name: channel for name in SPEAKERS if speaker in (None, name)})
    return script.model_copy(update={"channel": type(script.channel).model_validate(table)})


def _render(args: argparse.Namespace) -> int:
    from p2p_assist.mock.render import render_script
    from p2p_assist.mock.script import load_script
    from p2p_assist.mock.timeline import timeline_path

    script = with_channels(load_script(args.script), args.channel)
    out: Path = args.output or args.script.with_suffix(".wav")
    _check_output(out)  # before the rendering, which takes a while
    timeline = render_script(script, out, engine=args.tts)
    print(f"{out}: {timeline.duration:.1f} s, {len(timeline.turns)} turns ({timeline.tts})")
    for turn in timeline.turns:
        print(
            f"  {turn.start:7.2f}–{turn.end:7.2f}  {turn.speaker:<9}  {turn.channel:<12}  "
            f"{turn.text}"
        )
    print(f"timeline: {timeline_path(out)}")
    return 0


def _new(args: argparse.Namespace) -> int:
    from p2p_assist.cli.mock_new import draft_script

    return draft_script(args)


def _check(args: argparse.Namespace) -> int:
    from p2p_assist.cli.mock_new import check_script

    return check_script(args)


def _check_output(out: Path) -> None:
    """A WAV goes to a new file or over an old WAV, never over a folder or a TOML file (a case,
    a prompt or the script itself) or anything else p2p-assist keeps."""
    from p2p_assist.basics.errors import file_error
    from p2p_assist.cli.output import refuse_own_file

    refuse_own_file(out)
    if out.is_dir():
        raise file_error(out, "is a folder", "give -o the name of the .wav file to write")
    if out.resolve().suffix == ".toml" and out.exists():
        raise file_error(out, "is a TOML file, not a WAV", "give -o a .wav file name")
