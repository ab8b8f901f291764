"""`practice CASE --rehearse` and `--drill ID`: the script the reviewer follows, spoken ahead,
and the microphone and speakers the turns are taken on. A missing microphone or speaker is
a line on the screen, not the end: answers can be typed, turns can be read."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from p2p_assist.cli.live import CallInputs

if TYPE_CHECKING:
    from p2p_assist.audio.base import AudioSource
    from p2p_assist.audio.playback import Player
    from p2p_assist.cases.model import Case
    from p2p_assist.library.load import Library
    from p2p_assist.mock.script import MockScript


def rehearsal_inputs(args: argparse.Namespace, case_id: str) -> CallInputs:
    from p2p_assist.cases.store import check_case_id, load_case
    from p2p_assist.cases.where import find_case
    from p2p_assist.library.load import load_library
    from p2p_assist.report.answer_gaps import answer_gaps
    from p2p_assist.session.rehearsal import PAUSE_SECONDS, Rehearsal
    from p2p_assist.session.rehearsal_plan import reviewer_turns

    home = find_case(args.cases, check_case_id(case_id))
    case = load_case(home.cases_dir, case_id)
    library = load_library(args.prompts)
    script, notices = _script(args, case_id, case, library, home.files / "mock-call.toml")
    print("p2p-assist: speaking the reviewer's turns ahead…", file=sys.stderr)
    turns = reviewer_turns(script)
    microphone, problems = None, []
    if not args.type:
        microphone, problem = _microphone(args.device)
        problems += [problem] if problem else []
    player, problem = _player(args.playback)
    problems += [problem] if problem else []
    if problems:  # one banner line: a second would replace the first
        notices.append("; ".join(problems))

    def covered(objection_id: str, answer: str) -> bool:
        objection = library.objections.get(objection_id)
        return (
            objection is None or answer_gaps(objection, case, answer, library.spoken_terms).covered
        )

    rehearsal = Rehearsal(
        turns, covered, microphone=microphone, player=player, pause=args.pause or PAUSE_SECONDS
    )
    return CallInputs(rehearsal, rehearsal.speaker_at, rehearsal=rehearsal, notices=notices)


def _script(
    args: argparse.Namespace, case_id: str, case: Case, library: Library, own: Path
) -> tuple[MockScript, list[str]]:
    """--script, else a drill, else the case's own mock call, else one drafted from the case."""
    from p2p_assist.library.mock_lines import load_mock_lines
    from p2p_assist.matching.matcher import Matcher
    from p2p_assist.mock.script import load_script
    from p2p_assist.report.mock_draft import check_objection_ids, draft_mock_call
    from p2p_assist.report.rehearsal_script import drafted_script, drill_script

    if args.script:
        return load_script(args.script), []
    if not args.drill and own.is_file():
        return load_script(own), []
    if args.drill:
        check_objection_ids([args.drill], library, "--drill")  # before the matcher is trained
    lines, matcher = load_mock_lines(args.prompts), Matcher(library)
    if args.drill:
        return drill_script(args.drill, case_id, case, library, lines, matcher), []
    draft = draft_mock_call(case_id, case, library, lines, matcher)
    drafted = (
        f"{own}: no mock call for this case — the reviewer follows one drafted from the case "
        f"(to edit it: p2p-assist mock new {case_id})"
    )
    return drafted_script(draft), [drafted]


def _microphone(device: str | None) -> tuple[AudioSource | None, str | None]:
    from p2p_assist.audio.microphone import MicrophoneSource
    from p2p_assist.basics.errors import UserError

    try:
        return MicrophoneSource(device), None
    except UserError as error:
        return None, f"{error} — type your answers instead (t)"


def _player(device: str | None) -> tuple[Player | None, str | None]:
    from p2p_assist.audio.playback import Player
    from p2p_assist.basics.errors import UserError

    try:
        player = Player(device)
        player.prime()
        return player, None
    except UserError as error:
        return None, f"{error} — the reviewer's turns are shown as text, not heard"
