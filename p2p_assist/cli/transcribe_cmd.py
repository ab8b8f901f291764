"""`p2p-assist transcribe AUDIO`: the headless pipeline on a recording."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from p2p_assist.basics.errors import UserError
from p2p_assist.basics.formatting import clock
from p2p_assist.basics.locations import cases_dir
from p2p_assist.cli.live import add_voice_sample_option

if TYPE_CHECKING:
    from p2p_assist.session.call import CallSession


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "transcribe",
        help="transcribe a WAV file and show the objections it raises",
        description="Runs a recording through the recogniser and matcher; "
        "--save stores it as a call.",
    )
    parser.add_argument("audio", metavar="AUDIO", type=Path, help="a WAV file")
    parser.add_argument("--case", metavar="ID", help="the case: its facts fill the cards")
    parser.add_argument("--engine", choices=["auto", "vosk", "pocketsphinx"], default="auto")
    parser.add_argument("--model", type=Path, help="Vosk model folder")
    parser.add_argument("--json", action="store_true", help="one JSON object per utterance")
    parser.add_argument("--save", action="store_true", help="save as a call of --case")
    parser.add_argument("--paced", action="store_true", help="play at real-time speed")
    parser.add_argument(
        "--no-audio", action="store_true", help="with --save: keep the transcript, not the audio"
    )
    parser.add_argument(
        "--reviewer-audio",
        metavar="WAV",
        type=Path,
        help="the reviewer's side as a separate recording: AUDIO is then the clinician",
    )
    add_voice_sample_option(parser)
    parser.add_argument(
        "--fallback",
        metavar="DIR",
        type=Path,
        help="where to save the call if the case folder cannot be written "
        "(default: ~/.local/share/p2p-assist/unsaved)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from p2p_assist.audio.wav import WavFileSource
    from p2p_assist.cases.where import find_case
    from p2p_assist.cli.case_loading import load_case_for
    from p2p_assist.library.load import load_library
    from p2p_assist.lifecycle.finish import finish_call
    from p2p_assist.lifecycle.startup import delete_expired_audio, recover_unfinished
    from p2p_assist.matching.matcher import Matcher
    from p2p_assist.session.build import SessionPlan, build_session
    from p2p_assist.voice.profile import clinician_voice

    if args.save and not args.case:
        raise UserError("--save needs --case ID: a call is saved into its case folder")
    folder = find_case(args.cases, args.case).cases_dir if args.case else cases_dir(args.cases)
    case = load_case_for(folder, args.case)
    library = load_library(args.prompts)
    matcher = Matcher(library)
    recovered = recover_unfinished(folder, args.case, case, library) if args.save else []
    recovered += delete_expired_audio(folder, args.case, case) if args.case else []
    progress = _progress_printer() if sys.stderr.isatty() and not args.json else None
    source = WavFileSource(args.audio, paced=args.paced, on_progress=progress)
    plan = SessionPlan(
        folder,
        args.case,
        args.prompts,
        args.engine,
        args.model,
        "transcribed",
        args.save,
        not args.no_audio,
    )
    reviewer = WavFileSource(args.reviewer_audio, paced=args.paced) if args.reviewer_audio else None
    voice, voice_problem = clinician_voice(args.voice_sample)
    session = build_session(
        plan, source, matcher, reviewer_source=reviewer, case=case, clinician_voice=voice
    )
    for line in [*recovered, *filter(None, [voice_problem])]:
        session.notice(line)
    session.start()
    try:
        failed = _print_events(session, args.json)
    finally:  # Ctrl-C too: end the call and save what was heard
        finished = finish_call(session, case, library, fallback=args.fallback)
        for line in finished.lines:
            print(f"p2p-assist: {line}", file=sys.stderr)
    return 1 if failed or (args.save and not finished.closed.saved) else 0


def _print_events(session: CallSession, as_json: bool) -> bool:
    """Print each utterance with the cards it raised; True when recognition failed."""
    from p2p_assist.session.events import Notice, ObjectionRaised, SessionError, UtteranceHeard

    failed = False
    raised: list[ObjectionRaised] = []  # cards fire on partials; show them under their utterance
    for event in session.events():
        if isinstance(event, UtteranceHeard):
            _print_utterance(event, as_json)
            for card in raised if not as_json else []:
                early = " (while speaking)" if card.from_partial else ""
                print(
                    f"        ▲ {card.card.title}  [{card.hit.id} {card.hit.score:g}]{early}",
                    flush=True,
                )
            raised.clear()
        elif isinstance(event, ObjectionRaised):
            raised.append(event)
        elif isinstance(event, Notice | SessionError):
            failed = failed or (isinstance(event, SessionError) and event.fatal)
            print(f"p2p-assist: {event.message}", file=sys.stderr)
    return failed


def _print_utterance(event: Any, as_json: bool) -> None:
    if as_json:
        record = {
            "start": round(event.start, 2),
            "end": round(event.end, 2),
            "speaker": event.speaker or "unknown",
            "text": event.text,
            "objections": [{"id": h.id, "score": h.score} for h in event.objections],
            "captures": [{"field": c.field, "value": c.value} for c in event.captures],
        }
        print(json.dumps(record, ensure_ascii=False), flush=True)
        return
    print(f"[{clock(event.start)}] {event.text}", flush=True)
    for capture in event.captures:
        print(f"        ✓ {capture.field}: {capture.value}", flush=True)


def _progress_printer() -> Any:
    def show(done: float, total: float) -> None:
        print(f"\r{done:6.0f}/{total:.0f} s", end="", file=sys.stderr, flush=True)

    return show
