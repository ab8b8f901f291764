"""Assemble a CallSession from what the user asked for; shared by the CLI and the UI."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from p2p_assist.audio.base import AudioSource
from p2p_assist.basics.vocabulary import CallKind
from p2p_assist.cases.model import Case
from p2p_assist.cases.store import load_case
from p2p_assist.library.load import Library, load_library
from p2p_assist.matching.matcher import Matcher
from p2p_assist.recognition.factory import EngineChoice, open_recognizer
from p2p_assist.report.after_call import write_reports
from p2p_assist.session.call import CallSession, Channel, SpeakerAt
from p2p_assist.transcript.recovery import close_unfinished, find_unfinished
from p2p_assist.transcript.writer import open_new_call


@dataclass
class SessionPlan:
    cases_dir: Path
    case_id: str | None
    prompts: Path | None
    engine: EngineChoice
    model: Path | None
    kind: CallKind
    save: bool


def recover_unfinished(
    cases_dir: Path, case_id: str, case: Case | None, library: Library
) -> list[str]:
    """Close calls a crash left open, write their notes, and say so: nothing said is lost."""
    messages = []
    for call_dir in find_unfinished(cases_dir, case_id):
        closed = close_unfinished(call_dir)
        messages.append(
            f"recovered an unfinished call: {call_dir} ({len(closed.records)} records kept)"
        )
        messages += write_reports(call_dir, case, library).problems
    return messages


def build_session(
    plan: SessionPlan,
    source: AudioSource,
    matcher: Matcher | None = None,
    reviewer_source: AudioSource | None = None,
    keep_open: bool = False,
    turns: SpeakerAt | None = None,
) -> CallSession:
    """One channel, or two when the reviewer's audio comes in separately (a softphone's
    call audio): then the main input is the clinician and labels are exact."""
    case: Case | None = load_case(plan.cases_dir, plan.case_id) if plan.case_id else None
    matcher = matcher or Matcher(load_library(plan.prompts))
    recognizer, engine_notice = open_recognizer(plan.engine, plan.model)
    channels = [Channel(source, recognizer, "clinician" if reviewer_source else None, turns)]
    if reviewer_source is not None:
        channels.append(
            Channel(reviewer_source, open_recognizer(plan.engine, plan.model)[0], "reviewer")
        )
    notices = [engine_notice] if engine_notice else []
    writer = None
    if plan.save and plan.case_id:
        notices += recover_unfinished(plan.cases_dir, plan.case_id, case, matcher.library)
        label = " + ".join(channel.source.label for channel in channels)
        writer = open_new_call(plan.cases_dir, plan.case_id, plan.kind, recognizer.name, label)
    session = CallSession(matcher, channels, case=case, writer=writer, keep_open=keep_open)
    for message in notices:
        session.notice(message)
    if writer is not None and writer.degraded:
        session.notice(writer.degraded_message or "the call cannot be saved to the case folder")
    return session
