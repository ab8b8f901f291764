"""CallSession: audio sources -> recognisers -> matcher -> events, every utterance saved.

Each audio channel runs in its own thread (recognition never blocks the caller); events go
onto a queue the caller drains. With one microphone on speakerphone the clinician marks their
own turns (`set_speaker`); a second input, such as a softphone's call audio, can be a channel
fixed to the reviewer, so labels are exact.

The screen and the CLI use the session only through its public methods below: they never reach
into its writer, matcher or channels. `end()` is the one way a call ends.
"""

from __future__ import annotations

import queue
import threading
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

from p2p_assist.audio.level import LevelMeter
from p2p_assist.basics.errors import UserError
from p2p_assist.basics.locations import unsaved_dir
from p2p_assist.basics.vocabulary import Speaker
from p2p_assist.cases.model import Case
from p2p_assist.library.model import Agenda, Documentation
from p2p_assist.matching.call_matcher import CallMatcher, Heard
from p2p_assist.matching.captures import Capture
from p2p_assist.matching.matcher import Matcher, MatchResult
from p2p_assist.recognition.base import FinalResult, PartialResult
from p2p_assist.session.channel import Channel
from p2p_assist.session.events import (
    AudioEnded,
    AudioLevel,
    CallClosed,
    ChecklistState,
    Notice,
    ObjectionRaised,
    PartialText,
    SessionError,
    SessionEvent,
    UtteranceHeard,
)
from p2p_assist.transcript import records
from p2p_assist.transcript.records import Outcome
from p2p_assist.transcript.writer import TranscriptWriter

LEVEL_EVERY_SECONDS = 0.2
END_WAIT_SECONDS = 10.0


class CallSession:
    def __init__(
        self,
        matcher: Matcher,
        channels: list[Channel],
        *,
        case: Case | None = None,
        writer: TranscriptWriter | None = None,
    ) -> None:
        self._library = matcher.library
        self._lines = CallMatcher(matcher, case)
        self._channels = channels
        self._writer = writer
        self._queue: queue.SimpleQueue[SessionEvent] = queue.SimpleQueue()
        self._mutex = threading.Lock()
        self._speaker: Speaker | None = None
        self._checklist: dict[str, str | None] = {
            item.id: None for item in self._library.documentation.items
        }
        self._threads: list[threading.Thread] = []
        self._degraded_reported = False
        self._audio_ended = threading.Event()
        self._closed: CallClosed | None = None

    # -- what the screen may ask ---------------------------------------------------

    @property
    def engine(self) -> str:
        """The recogniser's name, for the header."""
        return self._channels[0].recognizer.name if self._channels else ""

    @property
    def documentation(self) -> Documentation:
        """What to request and record on the call: the checklist's items."""
        return self._library.documentation

    @property
    def agenda(self) -> Agenda:
        return self._library.agenda

    @property
    def speaker(self) -> Speaker | None:
        """Who the clinician says is talking now (`space`); None when not marked."""
        return self._speaker

    @property
    def call_dir(self) -> Path | None:
        """The folder the call is being saved to; None when it is not being saved."""
        return self._writer.call_dir if self._writer is not None else None

    def checklist(self) -> dict[str, str | None]:
        with self._mutex:
            return dict(self._checklist)

    def events(self, timeout: float | None = None) -> Iterator[SessionEvent]:
        """Drain events until the audio has ended (the last one is AudioEnded)."""
        while True:
            try:
                event = self._queue.get(timeout=timeout)
            except queue.Empty:
                return
            yield event
            if isinstance(event, AudioEnded):
                return

    # -- what the screen may tell it -------------------------------------------------

    def start(self) -> None:
        self._report_degraded()  # the case folder may have failed before the call began
        for number, channel in enumerate(self._channels):
            thread = threading.Thread(
                target=self._run_channel,
                args=(number, channel),
                name=f"recognise-{number}",
                daemon=True,
            )
            self._threads.append(thread)
            thread.start()
        threading.Thread(target=self._announce_end, name="audio-end", daemon=True).start()

    def set_speaker(self, speaker: Speaker | None) -> None:
        self._speaker = speaker

    def add_note(self, text: str, stream_time: float | None = None) -> None:
        self._save(records.Note(text=text, stream_time=stream_time))

    def bookmark(self, stream_time: float, label: str = "") -> None:
        self._save(records.Bookmark(stream_time=stream_time, label=label))

    def edit_capture(self, field: str, value: str) -> None:
        self._save(records.CaptureEdit(field=field, value=value))
        with self._mutex:
            self._checklist[field] = value
            state = dict(self._checklist)
        self._emit(ChecklistState(state))

    def set_outcome(self, outcome: Outcome) -> None:
        if self._writer is not None:
            self._writer.set_outcome(outcome)

    def end(self, fallback: Path | None = None) -> CallClosed:
        """End the call: sources stop, recognisers flush what they hold, the transcript is
        closed. If the case folder failed during the call, everything held in memory is saved
        under `fallback` (default: the per-user unsaved folder). Safe to call again: later
        calls return the same result, marked not first."""
        with self._mutex:
            if self._closed is not None:
                return CallClosed(
                    self._closed.call_dir, self._closed.saved, self._closed.problems, False
                )
        for channel in self._channels:
            channel.source.close()
        if self._threads and not self._audio_ended.wait(END_WAIT_SECONDS):
            self._emit(SessionError("the recogniser did not stop in time; closing anyway"))
        with self._mutex:
            if self._closed is None:
                self._closed = self._close_writer(fallback)
            return self._closed

    # -- the recognition threads ------------------------------------------------------

    def _run_channel(self, number: int, channel: Channel) -> None:
        meter = LevelMeter(LEVEL_EVERY_SECONDS)
        try:
            for chunk in channel.source.chunks():
                if (dbfs := meter.feed(chunk)) is not None:
                    self._emit(AudioLevel(dbfs, number, meter.stream_time))
                for result in channel.recognizer.accept(chunk):
                    self._handle(number, channel, result)
            for result in channel.recognizer.flush():
                self._handle(number, channel, result)
        except UserError as error:
            self._emit(SessionError(str(error), fatal=True))
        except Exception as error:  # a bug: report it loudly, keep what was saved
            traceback.print_exc()
            self._emit(SessionError(f"internal error in recognition: {error!r}", fatal=True))

    def _handle(self, number: int, channel: Channel, result: PartialResult | FinalResult) -> None:
        if isinstance(result, PartialResult):
            speaker = channel.speaker_at(result.stream_time, self._speaker)
            heard = self._lines.hear(result.text, speaker, result.stream_time)
            self._emit(PartialText(result.text, result.stream_time, speaker, number))
            self._raise_cards(heard, result.stream_time, True)
            return
        if not result.text.strip():
            return
        speaker = channel.speaker_at((result.start + result.end) / 2, self._speaker)
        heard = self._lines.hear(result.text, speaker, result.end)
        self._raise_cards(heard, result.end, False)
        self._take_captures(heard.match.captures)
        heard_event = UtteranceHeard(
            result.text,
            result.start,
            result.end,
            speaker,
            heard.match.objections,
            heard.match.captures,
            number,
            result.words,
        )
        # The screen gets the line before the fsync: a slow disk must not delay what the
        # clinician reads, and a crash in between loses only this utterance, as it would anyway.
        self._emit(heard_event)
        record = _utterance_record(result, speaker, heard.match)
        self._save(record)

    def _raise_cards(self, heard: Heard, stream_time: float, from_partial: bool) -> None:
        for raised in heard.raised:
            self._emit(
                ObjectionRaised(
                    raised.card,
                    raised.hit,
                    heard.match.text,
                    stream_time,
                    time.monotonic(),
                    from_partial,
                    raised.times,
                )
            )

    def _take_captures(self, captures: list[Capture]) -> None:
        changed = False
        with self._mutex:
            for capture in captures:
                if self._checklist.get(capture.field) != capture.value:
                    self._checklist[capture.field] = capture.value
                    changed = True
            state = dict(self._checklist)
        if changed:
            self._emit(ChecklistState(state))

    # -- saving and ending ----------------------------------------------------------------

    def _save(self, record: records.Record) -> None:
        if self._writer is None or self._writer.closed:
            return
        self._writer.append(record)
        self._report_degraded()

    def _report_degraded(self) -> None:
        """Once: the case folder failed, nothing is lost, and where the call will go."""
        if self._writer is None or not self._writer.degraded or self._degraded_reported:
            return
        self._degraded_reported = True
        message = self._writer.degraded_message or "cannot save the call"
        self._emit(SessionError(f"{message} — it is saved to another folder when the call ends"))

    def _announce_end(self) -> None:
        for thread in self._threads:
            thread.join()
        self._audio_ended.set()
        self._emit(AudioEnded("audio ended"))

    def _close_writer(self, fallback: Path | None) -> CallClosed:
        writer = self._writer
        if writer is None:
            return CallClosed(None, False, [], True)
        writer.close()
        if not writer.degraded:
            return CallClosed(writer.call_dir, True, [], True)
        problem = writer.degraded_message or "the case folder could not be written"
        try:
            moved = writer.save_to(fallback or unsaved_dir())
        except UserError as error:
            return CallClosed(None, False, [problem, str(error)], True)
        return CallClosed(moved, True, [f"{problem} — saved instead to {moved}"], True)

    def _emit(self, event: SessionEvent) -> None:
        self._queue.put(event)

    def notice(self, message: str) -> None:
        self._emit(Notice(message))


def _utterance_record(
    result: FinalResult, speaker: Speaker | None, match: MatchResult
) -> records.Utterance:
    return records.Utterance(
        start=result.start,
        end=result.end,
        speaker=speaker,
        text=result.text,
        words=[(w.text, w.start, w.end, w.confidence) for w in result.words],
        objections=[
            records.SavedObjection(id=h.id, score=h.score, span=h.span) for h in match.objections
        ],
        captures=[records.SavedCapture(field=c.field, value=c.value) for c in match.captures],
    )
