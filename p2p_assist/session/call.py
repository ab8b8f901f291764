"""CallSession: audio sources -> recognisers -> matcher -> events, every utterance saved.

Each audio channel runs in its own thread (recognition never blocks the caller); events go
onto a queue the caller drains. With one microphone on speakerphone each line is labelled by
how it sounds (voice/: the far side comes band-limited through a loudspeaker), and the
clinician can mark their own turns (`set_speaker`), which overrides; a second input, such as a
softphone's call audio, can be a channel fixed to the reviewer, so labels are exact.

The screen and the CLI use the session only through its public methods below: they never reach
into its writer, matcher or channels. `end()` is the one way a call ends.
"""

from __future__ import annotations

import queue
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

from rapidfuzz import fuzz

from p2p_assist.audio.base import TURN_END, AudioSource, InputLost
from p2p_assist.audio.level import LevelMeter
from p2p_assist.basics.audio_format import BYTES_PER_SECOND
from p2p_assist.basics.errors import UserError
from p2p_assist.basics.locations import unsaved_dir
from p2p_assist.basics.vocabulary import CallKind, Speaker
from p2p_assist.cases.model import Case
from p2p_assist.library.model import Agenda, Documentation
from p2p_assist.matching.call_matcher import CallMatcher, Heard, span_words
from p2p_assist.matching.captures import Capture
from p2p_assist.matching.matcher import Matcher
from p2p_assist.matching.objections import ObjectionHit
from p2p_assist.recognition.base import FinalResult, PartialResult
from p2p_assist.session.channel import Channel
from p2p_assist.session.checklist import ItemState, SessionChecklist
from p2p_assist.session.conduct import TalkWatch
from p2p_assist.session.events import (
    AudioEnded,
    AudioLevel,
    CallClosed,
    CardWithdrawn,
    ChecklistState,
    Notice,
    ObjectionRaised,
    PartialText,
    Reminder,
    SessionError,
    SessionEvent,
    UtteranceHeard,
)
from p2p_assist.transcript import records
from p2p_assist.transcript.records import Consent, Outcome
from p2p_assist.transcript.writer import TranscriptWriter

LineListener = Callable[[Speaker | None, str], None]
"""Told each closed line: who said it (as labelled) and its text."""

LEVEL_EVERY_SECONDS = 0.2
END_WAIT_SECONDS = 10.0
REOPEN_EVERY_SECONDS = 1.0
MAX_GAP_SECONDS = 3600.0  # silence fed for a lost input's gap is capped


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
        self._checklist = SessionChecklist.for_documentation(self._library.documentation)
        self._talk = TalkWatch(self._library.conduct)
        self._threads: list[threading.Thread] = []
        self._degraded_reported = False
        self._audio_ended = threading.Event()
        self._ending = threading.Event()  # end() was called: no input is reopened after this
        self._switch_to: dict[int, int | str | None] = {}  # channel -> input to switch to
        # channel -> the cards its current line raised while being spoken, and their words
        self._from_partials: dict[int, dict[str, tuple[ObjectionHit, str]]] = {}
        # Per channel, the objections the last partial held and their words: a partial raises
        # a card only for words the partial before it already held (each channel's own thread
        # reads and writes its entry).
        self._steady: dict[int, dict[str, str]] = {}
        self._closed: CallClosed | None = None
        self._line_listeners: list[LineListener] = []

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
    def kind(self) -> CallKind | None:
        """live, practice or transcribed; None when the call is not being saved."""
        return self._writer.meta.kind if self._writer is not None else None

    @property
    def call_dir(self) -> Path | None:
        """The folder the call is being saved to; None when it is not being saved."""
        return self._writer.call_dir if self._writer is not None else None

    def checklist(self) -> dict[str, ItemState]:
        """Each item to record: the values heard and whether the clinician confirmed one."""
        return self._checklist.snapshot()

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

    # -- what a rehearsal (session/rehearsal.py), the source of channel 0, may tell it ------

    def listen_to_lines(self, listener: LineListener) -> None:
        """Call `listener` with each closed line, on its channel's thread, once it is saved."""
        self._line_listeners.append(listener)

    def typed_line(self, text: str, start: float, end: float) -> None:
        """A line typed instead of spoken, heard as channel 0's over [start, end] (the time
        it took to type). Only from channel 0's own thread (a source's `chunks()` runs there),
        as recognition is."""
        self._handle(0, self._channels[0], FinalResult(text, (), start, end))

    def post(self, event: SessionEvent) -> None:
        """An event of the source's own (whose turn it is) for the screen, in order."""
        self._emit(event)

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

    @property
    def can_switch_input(self) -> bool:
        """True for a live call, whose microphone can be swapped for another input."""
        return bool(self._channels) and self._channels[0].open_input is not None

    def switch_input(self, device: int | str | None) -> None:
        """Listen to another input from now on (the current one is closed first)."""
        if not self.can_switch_input:
            return
        with self._mutex:
            self._switch_to[0] = device
        self._channels[0].source.close()

    def set_speaker(self, speaker: Speaker | None) -> None:
        self._speaker = speaker

    def add_note(self, text: str, stream_time: float | None = None) -> None:
        self._save(records.Note(text=text, stream_time=stream_time))

    def bookmark(self, stream_time: float, label: str = "") -> None:
        self._save(records.Bookmark(stream_time=stream_time, label=label))

    def edit_capture(self, field: str, value: str) -> None:
        """The clinician typed (or picked) the value: it stands, confirmed."""
        self._save(records.CaptureEdit(field=field, value=value))
        self._checklist.confirm(field, value)
        self._emit(ChecklistState(self._checklist.snapshot()))

    def confirm_value(self, field: str | None = None) -> tuple[str, str] | None:
        """Confirm the newest value heard for `field` (default: the item heard most recently
        that awaits confirmation); (field, value), or None when there is nothing to confirm."""
        field = field or self._checklist.next_to_confirm()
        if field is None or (value := self._checklist.confirm(field)) is None:
            return None
        self._save(records.CaptureConfirmed(field=field, value=value))
        self._emit(ChecklistState(self._checklist.snapshot()))
        return field, value

    def set_consent(self, answer: Consent) -> None:
        """What the reviewer said to being transcribed; kept in call.json and the note."""
        if self._writer is not None:
            self._writer.set_consent(answer)

    def save_elsewhere(self, folder: Path) -> Path:
        """Write the call so far under `folder` and keep writing there; the new call folder.
        UserError when that folder cannot be written either (the call stays in memory)."""
        if self._writer is None:
            raise UserError("this call is not being saved (no case, or --no-save)")
        moved = self._writer.save_to(folder)
        self._degraded_reported = False  # a later failure there is news again
        for problem in self._writer.take_audio_problems():
            self._emit(SessionError(problem))
        return moved

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
        self._ending.set()
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
            while True:
                try:
                    self._listen(number, channel, meter)
                    source = self._switched_input(number, channel)
                except InputLost as lost:
                    source = self._wait_for_input(number, channel, meter, str(lost))
                if source is None:
                    break
                channel.source = source
            for result in channel.recognizer.flush():
                self._handle(number, channel, result)
        except UserError as error:
            self._emit(SessionError(str(error), fatal=True))
        except Exception as error:  # a bug: report it loudly, keep what was saved
            traceback.print_exc()
            self._emit(SessionError(f"internal error in recognition: {error!r}", fatal=True))

    def _listen(self, number: int, channel: Channel, meter: LevelMeter) -> None:
        """Recognise the channel's source until it ends; InputLost if a live input drops."""
        for chunk in channel.source.chunks():
            if chunk == TURN_END:
                for result in channel.recognizer.flush():
                    self._handle(number, channel, result)
                continue
            self._keep_audio(number, chunk)
            channel.hear(chunk)
            if (dbfs := meter.feed(chunk)) is not None:
                self._emit(AudioLevel(dbfs, number, meter.stream_time))
            for result in channel.recognizer.accept(chunk):
                self._handle(number, channel, result)

    def _switched_input(self, number: int, channel: Channel) -> AudioSource | None:
        """The input the clinician switched to, if that is why the source ended."""
        with self._mutex:
            if number not in self._switch_to:
                return None
            wanted = self._switch_to.pop(number)
        if self._ending.is_set() or channel.open_input is None:
            return None
        try:
            source = channel.open_input(wanted)
        except UserError as error:  # back to the input before, through the wait for it
            raise InputLost(f"{error}; going back to {channel.source.label}") from None
        channel.device = wanted
        self._emit(Notice(f"listening to {source.label}", mended=True))
        return source

    def _wait_for_input(
        self, number: int, channel: Channel, meter: LevelMeter, problem: str
    ) -> AudioSource | None:
        """A live input dropped: keep the call open and try it again every second. The gap
        is fed to the recogniser as silence, so call times stay those of the wall clock."""
        if channel.open_input is None or self._ending.is_set():
            raise InputLost(problem)
        if number > 0:  # the reviewer's own input: the microphone carries the whole call now
            self._channels[0].speaker = None
            resumes = "the microphone now hears both sides; the reviewer's input resumes when it"
            self._emit(SessionError(f"{problem} — {resumes} is back"))
        else:
            self._emit(
                SessionError(
                    f"{problem} — the call stays open and listening resumes when it is back "
                    "(press i to choose another input)"
                )
            )
        lost_at = time.monotonic()
        while not self._ending.wait(REOPEN_EVERY_SECONDS):
            with self._mutex:
                device = self._switch_to.pop(number, channel.device)
            try:
                source = channel.open_input(device)
            except UserError:
                continue
            channel.device = device
            if number > 0:  # two inputs again: the microphone is the clinician's alone
                self._channels[0].speaker = "clinician"
            self._fill_gap(number, channel, meter, time.monotonic() - lost_at)
            self._emit(Notice(f"{source.label} is back — listening again", mended=True))
            return source
        return None

    def _fill_gap(self, number: int, channel: Channel, meter: LevelMeter, seconds: float) -> None:
        silence = bytes(BYTES_PER_SECOND)
        for _ in range(round(min(seconds, MAX_GAP_SECONDS))):
            self._keep_audio(number, silence)
            channel.hear(silence)
            meter.feed(silence)
            for result in channel.recognizer.accept(silence):
                self._handle(number, channel, result)

    def _keep_audio(self, number: int, pcm: bytes) -> None:
        """The kept audio is what the recogniser hears, a gap's silence too: one clock."""
        if self._writer is not None:
            self._writer.append_audio(number, pcm)
            self._report_degraded()

    def _handle(self, number: int, channel: Channel, result: PartialResult | FinalResult) -> None:
        if isinstance(result, PartialResult):
            speaker = channel.speaker_of_partial(result.stream_time, self._speaker)
            before = self._steady.get(number, {})

            def steady(hit: ObjectionHit, words: str) -> bool:
                """A phrase or a long word raises at once; a short word (a partial's flicker:
                "pass", "beg", "sparse") only once the partial before held it too."""
                if len(words.split()) > 1 or len(words) >= STEADY_WORD_LENGTH:
                    return True
                return hit.id in before and still_said(before[hit.id], result.text)

            heard = self._lines.hear(result.text, speaker, result.stream_time, may_raise=steady)
            self._steady[number] = {
                hit.id: span_words(heard.match.text, hit) for hit in heard.match.objections
            }
            self._emit(PartialText(result.text, result.stream_time, speaker, number))
            self._raise_cards(number, heard, result.stream_time, speaker, True)
            return
        self._steady.pop(number, None)
        if not result.text.strip():
            return
        speaker = channel.speaker_of_line(result.start, result.end, self._speaker)
        heard = self._lines.hear(result.text, speaker, result.end, result.words)
        with self._mutex:
            reminder = self._talk.heard(speaker, result.start, result.end)
        if reminder is not None:
            self._emit(Reminder(reminder))
        kept = self._withdraw_unsupported(number, heard, result, speaker)
        self._raise_cards(number, heard, result.end, speaker, False)
        if self._checklist.hear(heard.match.captures, result.end):
            self._emit(ChecklistState(self._checklist.snapshot()))
        objections = [*heard.match.objections, *kept]  # every card this line stands behind
        heard_event = UtteranceHeard(
            result.text,
            result.start,
            result.end,
            speaker,
            objections,
            heard.match.captures,
            number,
            result.words,
        )
        # On disk before on screen: a line the clinician has read is never lost to a crash.
        # (The cards it raised are already up: they do not wait for the fsync.)
        self._save(_utterance_record(result, speaker, objections, heard.match.captures))
        self._emit(heard_event)
        for listener in self._line_listeners:
            listener(speaker, result.text)

    def _raise_cards(
        self,
        number: int,
        heard: Heard,
        stream_time: float,
        speaker: Speaker | None,
        from_partial: bool,
    ) -> None:
        """Show each card the line may raise now, and record that it was shown."""
        for notice in heard.notices:
            self._emit(Notice(notice))
        text = heard.match.text
        for raised in heard.raised:
            hit = raised.hit
            self._emit(
                ObjectionRaised(
                    raised.card,
                    hit,
                    text,
                    stream_time,
                    time.monotonic(),
                    from_partial,
                    raised.times,
                )
            )
            if from_partial:
                with self._mutex:
                    self._from_partials.setdefault(number, {})[hit.id] = (
                        hit,
                        span_words(text, hit),
                    )
            self._save(
                records.CardShown(
                    stream_time=stream_time,
                    objection_id=hit.id,
                    score=hit.score,
                    heard=text,
                    span=hit.span,
                    from_partial=from_partial,
                    speaker=speaker,
                    times=raised.times,
                )
            )

    def _withdraw_unsupported(
        self, number: int, heard: Heard, result: FinalResult, speaker: Speaker | None
    ) -> list[ObjectionHit]:
        """Cards the sentence raised while it was being spoken, which the whole sentence does
        not bear out, are marked withdrawn on screen and in the record, never just dropped.

        Not bearing out means the whole sentence set the objection aside in context (it was
        an approval, a question, a hypothetical), or the recogniser revised the words that
        raised it. A card whose words are still there stands even if the longer line scored
        lower as a whole: more words said after it do not unsay it — unless the whole line
        turned out to be the clinician's, whose words raise no reviewer card."""
        with self._mutex:
            raised_early = self._from_partials.pop(number, {})
        supported = {hit.id for hit in heard.match.objections}
        set_aside = {hit.id for hit, _ in heard.match.set_aside}
        kept: list[ObjectionHit] = []
        for objection_id, (hit, words) in sorted(raised_early.items()):
            if objection_id in supported:
                continue
            stands = objection_id not in set_aside and speaker != "clinician"
            if stands and still_said(words, result.text):
                kept.append(hit)
                continue
            standing = self._lines.withdraw(objection_id)
            self._emit(CardWithdrawn(objection_id, result.end, result.text, standing))
            self._save(
                records.CardRetracted(
                    stream_time=result.end, objection_id=objection_id, final_text=result.text
                )
            )
        return kept

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
        self._emit(
            SessionError(
                f"{message}; if not, it is saved to {unsaved_dir()} when the call ends",
                unsaved=True,
            )
        )

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
        failure = writer.failure or "the case folder could not be written"
        try:
            moved = writer.save_to(fallback or unsaved_dir())
        except UserError as error:
            return CallClosed(None, False, [problem, str(error)], True)
        problems = [f"{failure} — saved instead to {moved}", *writer.take_audio_problems()]
        return CallClosed(moved, True, problems, True)

    def _emit(self, event: SessionEvent) -> None:
        self._queue.put(event)

    def notice(self, message: str) -> None:
        self._emit(Notice(message))


# A word this long is seldom a partial's flicker ("investigational", "moderate"); shorter ones
# were, on the demo calls ("pass", "news", "beg", "sparse").
STEADY_WORD_LENGTH = 8
STILL_SAID = 90  # rapidfuzz partial_ratio: the partial's words found in the final


def _within(span: tuple[int, int], text: str) -> tuple[int, int]:
    """A span found in a partial, kept inside the final's text (it may have grown or shrunk)."""
    end = min(span[1], len(text))
    return (min(span[0], end), end)


def still_said(words: str, final_text: str) -> bool:
    """The words that raised a card are still in the sentence as finally heard."""
    return fuzz.partial_ratio(words.lower(), final_text.lower()) >= STILL_SAID


def _utterance_record(
    result: FinalResult,
    speaker: Speaker | None,
    objections: list[ObjectionHit],
    captures: list[Capture],
) -> records.Utterance:
    return records.Utterance(
        start=result.start,
        end=result.end,
        speaker=speaker,
        text=result.text,
        words=[(w.text, w.start, w.end, w.confidence) for w in result.words],
        objections=[
            records.SavedObjection(id=h.id, score=h.score, span=_within(h.span, result.text))
            for h in objections
        ],
        captures=[
            records.SavedCapture(
                field=c.field,
                value=c.value,
                confidence=c.confidence,
                heard=c.heard,
                detail=c.detail,
            )
            for c in captures
        ],
    )
