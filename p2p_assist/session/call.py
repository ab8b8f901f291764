"""CallSession: audio sources -> recognisers -> matcher -> events, every utterance saved.

Each audio channel runs in its own thread (recognition never blocks the caller);
events go onto a queue the caller drains. With one microphone on speakerphone the
clinician marks their own turns (`set_speaker`); a second input, such as a
softphone's call audio, can be a channel fixed to the reviewer, so labels are exact.
"""

from __future__ import annotations

import queue
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from p2p_assist.audio.base import AudioSource
from p2p_assist.audio.level import level_dbfs
from p2p_assist.basics.audio_format import seconds_of
from p2p_assist.basics.errors import UserError
from p2p_assist.basics.vocabulary import Speaker
from p2p_assist.cases.model import Case
from p2p_assist.library.cards import render_card
from p2p_assist.matching.captures import Capture
from p2p_assist.matching.gate import CallGate
from p2p_assist.matching.matcher import Matcher, MatchResult
from p2p_assist.recognition.base import FinalResult, PartialResult, Recognizer
from p2p_assist.report.after_call import Reports, write_reports
from p2p_assist.session.events import (
    AudioLevel,
    ChecklistState,
    Notice,
    ObjectionRaised,
    PartialText,
    SessionEnded,
    SessionError,
    SessionEvent,
    UtteranceHeard,
    ValueCaptured,
)
from p2p_assist.transcript import records
from p2p_assist.transcript.writer import TranscriptWriter

LEVEL_EVERY_SECONDS = 0.2


SpeakerAt = Callable[[float], Speaker | None]
"""Who speaks at a moment of the stream (a mock call's timeline); None when unknown."""


@dataclass
class Channel:
    source: AudioSource
    recognizer: Recognizer
    speaker: Speaker | None = None  # fixed label; None follows turns, then set_speaker()
    turns: SpeakerAt | None = None


class CallSession:
    def __init__(
        self,
        matcher: Matcher,
        channels: list[Channel],
        *,
        case: Case | None = None,
        writer: TranscriptWriter | None = None,
        on_event: Callable[[SessionEvent], None] | None = None,
        keep_open: bool = False,
    ) -> None:
        """`keep_open`: when the audio ends, leave the call open for notes and the outcome
        until close_call() (the screen does this; the headless CLI closes at once)."""
        self.matcher = matcher
        self.channels = channels
        self.case = case
        self.writer = writer
        self._on_event = on_event
        self._keep_open = keep_open
        self._queue: queue.SimpleQueue[SessionEvent] = queue.SimpleQueue()
        self._gate = CallGate(matcher.library.objections)
        self._raised: Counter[str] = Counter()
        self._mutex = threading.Lock()
        self._speaker: Speaker | None = None
        self._checklist: dict[str, str | None] = {
            item.id: None for item in matcher.library.documentation.items
        }
        self._threads: list[threading.Thread] = []
        self._degraded_reported = False
        self._ended = threading.Event()

    # -- control (any thread) -------------------------------------------------

    def start(self) -> None:
        for number, channel in enumerate(self.channels):
            thread = threading.Thread(
                target=self._run_channel,
                args=(number, channel),
                name=f"recognise-{number}",
                daemon=True,
            )
            self._threads.append(thread)
            thread.start()
        threading.Thread(target=self._finish_when_done, name="session-end", daemon=True).start()

    def stop(self) -> None:
        """End the call: sources stop, recognisers flush, the transcript is closed."""
        for channel in self.channels:
            channel.source.close()

    def set_speaker(self, speaker: Speaker | None) -> None:
        self._speaker = speaker

    @property
    def speaker(self) -> Speaker | None:
        return self._speaker

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

    def checklist(self) -> dict[str, str | None]:
        with self._mutex:
            return dict(self._checklist)

    def events(self, timeout: float | None = None) -> Iterator[SessionEvent]:
        """Drain events until the session has ended (the last one is SessionEnded)."""
        while True:
            try:
                event = self._queue.get(timeout=timeout)
            except queue.Empty:
                return
            yield event
            if isinstance(event, SessionEnded):
                return

    def wait(self, timeout: float | None = None) -> bool:
        return self._ended.wait(timeout)

    # -- the recognition threads ------------------------------------------------

    def _run_channel(self, number: int, channel: Channel) -> None:
        next_level = 0.0
        stream_time = 0.0
        try:
            for chunk in channel.source.chunks():
                stream_time += seconds_of(chunk)
                if stream_time >= next_level:
                    self._emit(AudioLevel(level_dbfs(chunk), number, stream_time))
                    next_level = stream_time + LEVEL_EVERY_SECONDS
                for result in channel.recognizer.accept(chunk):
                    self._handle(number, channel, result)
            for result in channel.recognizer.flush():
                self._handle(number, channel, result)
        except UserError as error:
            self._emit(SessionError(str(error), fatal=True))
        except Exception as error:  # a bug: report it loudly, keep what was saved
            traceback.print_exc()
            self._emit(SessionError(f"internal error in recognition: {error!r}", fatal=True))

    def _speaker_at(self, channel: Channel, stream_time: float) -> Speaker | None:
        if channel.speaker is not None:
            return channel.speaker
        marked = channel.turns(stream_time) if channel.turns is not None else None
        return marked or self._speaker

    def _handle(self, number: int, channel: Channel, result: PartialResult | FinalResult) -> None:
        if isinstance(result, PartialResult):
            speaker = self._speaker_at(channel, result.stream_time)
            self._emit(PartialText(result.text, result.stream_time, speaker, number))
            self._raise_cards(self.matcher.match(result.text, speaker), result.stream_time, True)
            return
        if not result.text.strip():
            return
        speaker = self._speaker_at(channel, (result.start + result.end) / 2)
        match = self.matcher.match(result.text, speaker)
        self._raise_cards(match, result.end, False)
        self._take_captures(match.captures, result.end)
        self._save(
            records.Utterance(
                start=result.start,
                end=result.end,
                speaker=speaker,
                text=result.text,
                words=[(w.text, w.start, w.end, w.confidence) for w in result.words],
                objections=[
                    records.SavedObjection(id=h.id, score=h.score, span=h.span)
                    for h in match.objections
                ],
                captures=[
                    records.SavedCapture(field=c.field, value=c.value) for c in match.captures
                ],
            )
        )
        self._emit(
            UtteranceHeard(
                result.text,
                result.start,
                result.end,
                speaker,
                match.objections,
                match.captures,
                number,
                result.words,
            )
        )

    def _raise_cards(self, match: MatchResult, stream_time: float, from_partial: bool) -> None:
        for hit in match.objections:
            with self._mutex:
                if not self._gate.admit(hit.id, stream_time):
                    continue
                self._raised[hit.id] += 1
                times = self._raised[hit.id]
            card = render_card(self.matcher.library.objections[hit.id], self.case)
            self._emit(
                ObjectionRaised(
                    card, hit, match.text, stream_time, time.monotonic(), from_partial, times
                )
            )

    def _take_captures(self, captures: list[Capture], stream_time: float) -> None:
        changed = False
        for capture in captures:
            with self._mutex:
                if self._checklist.get(capture.field) == capture.value:
                    continue
                self._checklist[capture.field] = capture.value
                changed = True
            self._emit(ValueCaptured(capture.field, capture.value, stream_time))
        if changed:
            self._emit(ChecklistState(self.checklist()))

    # -- saving and ending --------------------------------------------------------

    def _save(self, record: records.Record) -> None:
        if self.writer is None or self.writer.closed:
            return
        self.writer.append(record)
        if self.writer.degraded and not self._degraded_reported:
            self._degraded_reported = True
            self._emit(SessionError(self.writer.degraded_message or "cannot save the call"))

    def _finish_when_done(self) -> None:
        for thread in self._threads:
            thread.join()
        reports = None if self._keep_open else self.close_call()
        call_dir, saved, problems = None, True, []
        if self.writer is not None:
            call_dir = self.writer.call_dir
            saved = not self.writer.degraded
            if not saved:
                problems.append(self.writer.degraded_message or "the call was not saved")
        written = reports.describe() if reports else []
        self._emit(SessionEnded(call_dir, "audio ended", saved, problems, written))
        self._ended.set()

    def close_call(self) -> Reports | None:
        """Write transcript.md, mark the call ended and write its note; later notes are not
        saved. Returns what was written the first time, None after that or when not saved."""
        with self._mutex:
            if self.writer is None or self.writer.closed:
                return None
            self.writer.close()
        if self.writer.degraded:
            return None
        return write_reports(self.writer.call_dir, self.case, self.matcher.library)

    def _emit(self, event: SessionEvent) -> None:
        self._queue.put(event)
        if self._on_event is not None:
            self._on_event(event)

    def notice(self, message: str) -> None:
        self._emit(Notice(message))
