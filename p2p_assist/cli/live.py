"""Shared by `call` and `practice`: the start-up step, the session, the screen, the end.

The order is the call's life: finish what a crash left open, build the session, run the
screen (behind the case picker when no case is named), and make sure the call is ended and
written up even when the screen was quit without "end call".
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from p2p_assist.audio.base import AudioSource
from p2p_assist.basics.errors import UserError
from p2p_assist.basics.vocabulary import CallKind
from p2p_assist.session.channel import SpeakerAt

if TYPE_CHECKING:
    from p2p_assist.matching.matcher import Matcher
    from p2p_assist.session.channel import OpenInput
    from p2p_assist.session.rehearsal import Rehearsal
    from p2p_assist.ui.app import LiveCall


@dataclass(frozen=True)
class CallInputs:
    """The audio of a call: the microphone (or a case's mock recording) with its turn marks,
    and the reviewer's side when it comes in separately (a softphone's call audio)."""

    source: AudioSource
    turns: SpeakerAt | None = None
    reviewer: AudioSource | None = None
    rehearsal: Rehearsal | None = None  # the source, when it is a rehearsal taking turns
    notices: list[str] = field(default_factory=list)  # said on the screen once the call opens


OpenSource = Callable[[str], CallInputs]
"""The audio for a case id."""


def add_engine_options(parser: Any) -> None:
    parser.add_argument("case_id", metavar="CASE", nargs="?", help="omit to pick from a list")
    parser.add_argument("--engine", choices=["auto", "vosk", "pocketsphinx"], default="auto")
    parser.add_argument("--model", help="Vosk model folder")
    parser.add_argument("--no-save", action="store_true", help="do not save the call to the case")
    parser.add_argument(
        "--no-audio", action="store_true", help="save the transcript but not the call's audio"
    )
    add_voice_sample_option(parser)


def add_voice_sample_option(parser: Any) -> None:
    parser.add_argument(
        "--voice-sample",
        metavar="FILE.wav",
        type=Path,
        help="a recording of your voice (about 20 s) to tell you from the reviewer, instead "
        "of the profile `voice enroll` made",
    )


def case_rows(cases_option: str | None) -> list[tuple[str, str]]:
    """The picker's rows: the user's cases, then the shipped demos, each with its P2P window
    or why it cannot be opened."""
    from p2p_assist.cases.check import p2p_window
    from p2p_assist.cases.where import demo_cases, own_cases

    today = dt.date.today()
    folder, entries = own_cases(cases_option)
    labelled = [("", entry) for entry in entries]
    labelled += [("demo · ", entry) for entry in demo_cases(cases_option)]
    rows = [
        (
            entry.case_id,
            label
            + (
                p2p_window(entry.case, today).describe()
                if entry.case
                else f"INVALID: {entry.problem}"
            ),
        )
        for label, entry in labelled
    ]
    if not rows:
        raise UserError(f"{folder}: no cases yet — create one with `p2p-assist case new ID`")
    return rows


def run_call(
    args: argparse.Namespace,
    kind: CallKind,
    open_source: OpenSource,
    open_input: OpenInput | None = None,
    after: Callable[[Path], None] | None = None,
) -> int:
    """`open_input` (a live call's): how to reopen the input, so a lost microphone resumes.
    `after`: run on each saved call once the screen has closed (practice prints its score)."""
    from p2p_assist.library.load import load_library
    from p2p_assist.lifecycle.finish import finish_call
    from p2p_assist.matching.matcher import Matcher
    from p2p_assist.ui.app import PickCase, make_app

    rows = None if args.case_id else case_rows(args.cases)
    library = load_library(args.prompts)
    loaded: list[Matcher] = []

    def matcher() -> Matcher:
        """Trained once, and only after the case and its audio are known to be good: a bad
        case id or a missing recording is one line, before anything slow starts."""
        if not loaded:
            print("p2p-assist: loading the recogniser and the prompt library…", file=sys.stderr)
            loaded.append(Matcher(library))
        return loaded[0]

    started: list[LiveCall] = []

    def start_call(case_id: str) -> LiveCall:
        call = _start_call(args, case_id, kind, matcher, open_source, open_input)
        started.append(call)
        return call

    app = make_app(start_call(args.case_id) if rows is None else PickCase(rows, start_call))
    app.run()
    for call in started:  # quit without "end call": still end the call and write it up
        finished = finish_call(call.session, call.context.case, library)
        for line in finished.lines:
            print(f"p2p-assist: {line}", file=sys.stderr)
        if after is not None and finished.closed.saved and finished.call_dir is not None:
            after(finished.call_dir)
    if app.error is not None:
        raise app.error
    return 0


def _start_call(
    args: argparse.Namespace,
    case_id: str,
    kind: CallKind,
    matcher: Callable[[], Matcher],
    open_source: OpenSource,
    open_input: OpenInput | None,
) -> LiveCall:
    from p2p_assist.cases.check import p2p_window
    from p2p_assist.cases.store import load_case
    from p2p_assist.cases.where import find_case
    from p2p_assist.lifecycle.startup import delete_expired_audio, recover_unfinished
    from p2p_assist.session.build import SessionPlan, build_session
    from p2p_assist.ui.app import LiveCall
    from p2p_assist.ui.call_screen import CallContext
    from p2p_assist.voice.profile import clinician_voice

    folder = find_case(args.cases, case_id).cases_dir
    case = load_case(folder, case_id)
    inputs = open_source(case_id)
    library = matcher().library
    save = not args.no_save
    recovered = recover_unfinished(folder, case_id, case, library) if save else []
    recovered += delete_expired_audio(folder, case_id, case)
    model = Path(args.model) if args.model else None
    voice, voice_problem = clinician_voice(args.voice_sample)
    plan = SessionPlan(
        folder, case_id, args.prompts, args.engine, model, kind, save, not args.no_audio
    )
    session = build_session(
        plan,
        inputs.source,
        matcher(),
        reviewer_source=inputs.reviewer,
        turns=inputs.turns,
        case=case,
        open_input=open_input,
        device=getattr(args, "device", None),
        reviewer_device=getattr(args, "reviewer_device", None),
        clinician_voice=voice,
    )
    for line in [*recovered, *inputs.notices, *filter(None, [voice_problem])]:
        session.notice(line)
    if inputs.rehearsal is not None:
        inputs.rehearsal.connect(session)
    window = p2p_window(case, dt.date.today()).short()
    return LiveCall(session, CallContext(case_id, case, window, library, inputs.rehearsal))
