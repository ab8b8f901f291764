"""Assemble a CallSession from what the user asked for; shared by the CLI, the UI and benches."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from p2p_assist.audio.base import AudioSource
from p2p_assist.basics.vocabulary import CallKind, Speaker
from p2p_assist.cases.model import Case
from p2p_assist.cases.store import load_case
from p2p_assist.library.load import load_library
from p2p_assist.matching.matcher import Matcher
from p2p_assist.recognition.factory import EngineChoice, open_recognizer
from p2p_assist.session.call import CallSession
from p2p_assist.session.channel import Channel, OpenInput, SpeakerAt
from p2p_assist.transcript.writer import open_new_call
from p2p_assist.voice.attribution import SideModel
from p2p_assist.voice.labeller import SpeakerLabeller


@dataclass
class SessionPlan:
    cases_dir: Path
    case_id: str | None
    prompts: Path | None
    engine: EngineChoice
    model: Path | None
    kind: CallKind
    save: bool
    keep_audio: bool = True  # --no-audio makes it False; so does keep_audio = false in case.toml


def build_session(
    plan: SessionPlan,
    source: AudioSource,
    matcher: Matcher | None = None,
    reviewer_source: AudioSource | None = None,
    turns: SpeakerAt | None = None,
    case: Case | None = None,
    open_input: OpenInput | None = None,
    device: int | str | None = None,
    reviewer_device: int | str | None = None,
    clinician_voice: SideModel | None = None,
) -> CallSession:
    """One channel, or two when the reviewer's audio comes in separately (a softphone's
    call audio): then the main input is the clinician and labels are exact. `open_input`
    (a live call's) lets the session reopen a lost input (`device`, `reviewer_device`), or
    switch the microphone to another. The main input always gets a speaker labeller: on its
    own it hears both sides, and with a reviewer input it may come to (if that input is lost);
    `clinician_voice` is the clinician's enrolled voice, when there is one.

    Calls a crash left open are not this function's business: recover them first
    (`lifecycle.startup.recover_unfinished`), so a new call never waits on an old one."""
    if case is None and plan.case_id:
        case = load_case(plan.cases_dir, plan.case_id)
    matcher = matcher or Matcher(load_library(plan.prompts))
    recognizer, engine_notice = open_recognizer(plan.engine, plan.model)
    main: Speaker | None = "clinician" if reviewer_source else None
    labeller = SpeakerLabeller(clinician_voice)
    channels = [Channel(source, recognizer, main, turns, open_input, device, labeller)]
    if reviewer_source is not None:
        reviewer = open_recognizer(plan.engine, plan.model)[0]
        channels.append(
            Channel(reviewer_source, reviewer, "reviewer", None, open_input, reviewer_device)
        )
    writer = None
    if plan.save and plan.case_id:
        label = " + ".join(channel.source.label for channel in channels)
        keep_audio = plan.keep_audio and (case is None or case.keep_audio)
        writer = open_new_call(
            plan.cases_dir, plan.case_id, plan.kind, recognizer.name, label, keep_audio
        )
    session = CallSession(matcher, channels, case=case, writer=writer)
    for notice in [engine_notice, *matcher.notices]:
        if notice:
            session.notice(notice)  # a model missing, a matcher cache rebuilt: said once
    matcher.notices.clear()
    return session
