"""`p2p-assist practice CASE`: the call screen fed by a recorded mock call, in real time."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from p2p_assist.basics.errors import UserError, file_error
from p2p_assist.cli.live import CallInputs, add_engine_options, run_call

if TYPE_CHECKING:
    from p2p_assist.report.scores import PracticeScore
    from p2p_assist.session.channel import SpeakerAt


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "practice", help="rehearse on the call screen with a recorded mock call"
    )
    add_engine_options(parser)
    parser.add_argument("--mock", default="mock-call", help="mock call NAME in the case folder")
    parser.add_argument("--audio", type=Path, help="any recording instead of the mock call")
    parser.add_argument(
        "--speed",
        type=playback_speed,
        default=1.0,
        help=f"playback speed, {MIN_SPEED:g} to {MAX_SPEED:g} (1.0 = real time)",
    )
    rehearse = parser.add_argument_group(
        "rehearse", "the reviewer speaks each turn and waits: you answer out loud (or type)"
    )
    rehearse.add_argument(
        "--rehearse", action="store_true", help="take the clinician's turns yourself"
    )
    rehearse.add_argument(
        "--drill",
        metavar="ID",
        help="rehearse one objection (e.g. step_therapy), asked again until your answer "
        "covers its facts",
    )
    rehearse.add_argument(
        "--script", type=Path, help="the mock call to follow (default: the case's own)"
    )
    rehearse.add_argument("--device", help="microphone (name or index; see `devices`)")
    rehearse.add_argument("--playback", help="speakers to play the reviewer on")
    rehearse.add_argument(
        "--type", action="store_true", help="type your answers instead of speaking them"
    )
    rehearse.add_argument(
        "--pause",
        type=answer_pause,
        help="seconds of silence that end a spoken answer (default: 0.8)",
    )
    parser.add_argument(
        "--history", action="store_true", help="show the scores of earlier practice runs"
    )
    parser.add_argument("--plain", action="store_true", help="with --history: print a table")
    parser.add_argument(
        "--score",
        metavar="CALL",
        help="score your answers on a saved call (its folder name, or latest) and print the card",
    )
    parser.set_defaults(handler=run)


def bounded(low: float, high: float, what: str) -> Callable[[str], float]:
    """An argparse type: a number from `low` to `high`; anything else (nan too) is one line
    naming the range, `what` says what it is ("a pause from {low} to {high} seconds")."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not low <= value <= high:  # also false for nan
            raise argparse.ArgumentTypeError(
                f"{text!r} is not " + what.format(low=f"{low:g}", high=f"{high:g}")
            )
        return value

    return parse


MIN_PAUSE, MAX_PAUSE = 0.3, 5.0
answer_pause = bounded(MIN_PAUSE, MAX_PAUSE, "a pause from {low} to {high} seconds")

MIN_SPEED = 0.1
MAX_SPEED = 50.0
"""Slower than a tenth of real time is a stalled screen; faster than 50 the recogniser cannot
keep up and the practice run shows nothing useful."""
playback_speed = bounded(MIN_SPEED, MAX_SPEED, "a speed from {low} to {high} (1.0 = real time)")


def run(args: argparse.Namespace) -> int:
    from p2p_assist.cli.practice_score import print_answer_card, show_score

    if args.history:
        return show_history(args)
    if args.score:
        return show_score(args)
    if args.rehearse or args.drill:
        from p2p_assist.cli.rehearsal_inputs import rehearsal_inputs

        return run_call(
            args,
            "practice",
            lambda case_id: rehearsal_inputs(args, case_id),
            after=lambda call_dir: print_answer_card(call_dir, args.prompts),
        )
    return run_call(
        args,
        "practice",
        lambda case_id: practice_audio(args, case_id),
        after=lambda call_dir: print_answer_card(call_dir, args.prompts),
    )


def practice_audio(args: argparse.Namespace, case_id: str) -> CallInputs:
    """The recording to play for a case (its mock call, or --audio) and its turn marks."""
    from p2p_assist.audio.wav import WavFileSource
    from p2p_assist.cases.store import check_case_id
    from p2p_assist.cases.where import find_case

    home = find_case(args.cases, check_case_id(case_id))
    audio = args.audio or home.files / f"{args.mock}.wav"
    if not audio.is_file():
        raise _no_recording(audio, case_id, from_case=args.audio is None)
    source = WavFileSource(audio, paced=True, speed=args.speed)
    return CallInputs(source, None if args.audio else scripted_turns(audio))


def _no_recording(audio: Path, case_id: str, from_case: bool) -> UserError:
    """How to make the recording: render the script beside it, or draft one from the case."""
    script = audio.with_suffix(".toml")
    if not from_case:
        return file_error(audio, "no such recording", "check the path given to --audio")
    if script.is_file():
        fix = f"make it from its script: p2p-assist mock render {script}"
    else:
        fix = (
            f"draft a mock call from the case, then speak it: p2p-assist mock new {case_id} "
            f"-o {script} && p2p-assist mock render {script}"
        )
    return file_error(audio, "no mock call recorded for this case yet", fix)


def scripted_turns(audio: Path) -> SpeakerAt | None:
    """The mock call's own turn marks, when its timeline was rendered beside it."""
    from p2p_assist.mock.timeline import load_timeline, timeline_path
    from p2p_assist.mock.turns import ScriptedTurns

    if not timeline_path(audio).is_file():
        return None
    return ScriptedTurns(load_timeline(timeline_path(audio))).speaker_at


def show_history(args: argparse.Namespace) -> int:
    from p2p_assist.cases.store import check_case_id
    from p2p_assist.cases.where import find_case
    from p2p_assist.cli.case_loading import case_or_none
    from p2p_assist.library.load import load_library
    from p2p_assist.report.history import practice_runs

    if not args.case_id:
        raise UserError("practice --history: name the case — p2p-assist practice CASE --history")
    check_case_id(args.case_id)  # before anything is read, so a bad id is said once
    folder = find_case(args.cases, args.case_id).cases_dir
    case = case_or_none(folder, args.case_id, "runs without a score.json are scored without it")
    from p2p_assist.cli.practice_score import answer_scores

    runs = practice_runs(folder, args.case_id, case, load_library(args.prompts))
    answers = answer_scores(folder, args.case_id, [run.stamp for run in runs], args.prompts)
    if args.plain:
        if not runs:
            print(f"no practice runs for {args.case_id} yet")
            return 0
        print(history_table(runs, answers))
        return 0
    from p2p_assist.ui.app import History, make_app

    make_app(History(args.case_id, runs, answers)).run()
    return 0


def history_table(runs: list[PracticeScore], answers: list[str] | None = None) -> str:
    """One row per run; `answers`: each run's answer score (report/answer_score.py)."""
    from p2p_assist.basics.formatting import clock
    from p2p_assist.report.scores import percent

    answers = answers or ["-"] * len(runs)
    lines = [f"{'run':>3}  {'date':17} {'score':>5}  evidence  checklist  agenda  answers"]
    for number, (run, answer) in enumerate(zip(runs, answers, strict=True), 1):
        date = f"{run.started:%Y-%m-%d %H:%M}" if run.started else run.stamp
        lines.append(
            f"{number:>3}  {date:17} {run.score:>5}  {percent(run.evidence):>8}"
            f"  {percent(run.documentation):>9}  {percent(run.coverage):>6}  {answer:>7}"
        )
    reached = [f"{s.title} {clock(s.seconds)}" for s in runs[-1].agenda if s.started is not None]
    lines += ["", "time per agenda step (latest run): " + (", ".join(reached) or "none reached")]
    if runs[-1].prepare:
        lines += ["", "prepare better (latest run):", *(f"- {item}" for item in runs[-1].prepare)]
    return "\n".join(lines)
