"""`p2p-assist transcribe AUDIO`: the headless pipeline on a recording."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from p2p_assist.basics.errors import UserError
from p2p_assist.basics.locations import cases_dir


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
        "--reviewer-audio",
        metavar="WAV",
        type=Path,
        help="the reviewer's side as a separate recording: AUDIO is then the clinician",
    )
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
    from p2p_assist.session.build import SessionPlan, build_session
    from p2p_assist.session.events import (
        Notice,
        ObjectionRaised,
        SessionEnded,
        SessionError,
        UtteranceHeard,
    )

    if args.save and not args.case:
        raise UserError("--save needs --case ID: a call is saved into its case folder")
    progress = _progress_printer() if sys.stderr.isatty() and not args.json else None
    source = WavFileSource(args.audio, paced=args.paced, on_progress=progress)
    plan = SessionPlan(
        find_case(args.cases, args.case).cases_dir if args.case else cases_dir(args.cases),
        args.case,
        args.prompts,
        args.engine,
        args.model,
        "transcribed",
        args.save,
    )
    reviewer = WavFileSource(args.reviewer_audio, paced=args.paced) if args.reviewer_audio else None
    session = build_session(plan, source, reviewer_source=reviewer)
    session.start()
    failed = False
    raised: list[ObjectionRaised] = []  # cards fire on partials; show them under their utterance
    try:
        for event in session.events():
            if isinstance(event, UtteranceHeard):
                _print_utterance(event, args.json)
                for card in raised if not args.json else []:
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
            elif isinstance(event, SessionEnded) and event.call_dir and args.save:
                where = event.call_dir if event.saved else _save_elsewhere(session, args.fallback)
                print(f"p2p-assist: call saved to {where}", file=sys.stderr)
                for line in event.written:
                    print(f"p2p-assist: {line}", file=sys.stderr)
    except KeyboardInterrupt:
        session.stop()
        session.wait(10)
        raise
    return 1 if failed else 0


def _save_elsewhere(session: Any, fallback: Path | None) -> Path:
    """The case folder failed mid-call: everything is still in memory, write it elsewhere."""
    from p2p_assist.basics.locations import unsaved_dir

    folder = fallback or unsaved_dir()
    saved: Path = session.writer.save_to(folder)
    return saved


def _print_utterance(event: Any, as_json: bool) -> None:
    if as_json:
        record = {
            "start": round(event.start, 2),
            "end": round(event.end, 2),
            "speaker": event.speaker,
            "text": event.text,
            "objections": [{"id": h.id, "score": h.score} for h in event.objections],
            "captures": [{"field": c.field, "value": c.value} for c in event.captures],
        }
        print(json.dumps(record, ensure_ascii=False), flush=True)
        return
    minutes, seconds = divmod(int(event.start), 60)
    print(f"[{minutes:02d}:{seconds:02d}] {event.text}", flush=True)
    for capture in event.captures:
        print(f"        ✓ {capture.field}: {capture.value}", flush=True)


def _progress_printer() -> Any:
    def show(done: float, total: float) -> None:
        print(f"\r{done:6.0f}/{total:.0f} s", end="", file=sys.stderr, flush=True)

    return show
