"""A rehearsal: the reviewer's turns spoken through the speakers, the clinician's answers heard
from the microphone, one turn at a time — the audio source of an ordinary practice call.

The session hears what a call with the reviewer on their own input would give it: each
reviewer turn as clean speech (`rehearsal_plan.py`) while the speakers play it as the script's
channel makes it sound, then the clinician's answer from the microphone. While the reviewer
speaks the microphone only hears the speakers, so it is not passed on (it still teaches the
pause detector the room's level). An answer ends at a pause, at `enter`, or when typed; then
the recogniser closes the line at once (TURN_END) and the next turn starts. A follow-up turn
is asked only when the answer before it left out facts its card names (`covered`); silence
gets the question once more, then the reviewer moves on.

Everything here runs on the session's channel thread (it is that channel's `chunks()`),
except `end_answer`, `type_answer` and `close`, which the screen calls.
"""

from __future__ import annotations

import bisect
import queue
import threading
import time
from collections.abc import Callable, Generator, Iterator

from p2p_assist.audio.answer_end import AnswerEnd
from p2p_assist.audio.base import CHUNK_BYTES, CHUNK_SECONDS, TURN_END, AudioSource
from p2p_assist.audio.playback import Player
from p2p_assist.basics.audio_format import BYTES_PER_SECOND
from p2p_assist.basics.errors import UserError
from p2p_assist.basics.vocabulary import Speaker
from p2p_assist.session.call import CallSession
from p2p_assist.session.events import Notice, TurnTaken
from p2p_assist.session.rehearsal_plan import ReviewerTurn
from p2p_assist.transcript.records import NO_ANSWER_NOTE

Covered = Callable[[str, str], bool]
"""Whether an answer (its text) covered what the objection's card (its id) names."""

PAUSE_SECONDS = 0.8
"""Silence that ends a spoken answer. Shorter cuts a clinician who stops between sentences
(the longest pause inside the demo's ten spoken answers is 0.4 s, timed in 25 ms windows);
longer makes the reviewer slow to come back (the target: within 1 s of the last word, and
the microphone's 0.1 s chunks add up to that). `--pause` changes it; `enter` ends at once."""
NO_ANSWER_SECONDS = 10.0
"""Silence from the start of the clinician's turn that counts as no answer at all."""
LONGEST_ANSWER_SECONDS = 120.0
"""An answer is cut here: the seeds' advice is a minute a turn, and a rehearsal must go on."""
ECHO_SETTLE_SECONDS = 0.2
"""After the speakers finish a turn, the microphone's own buffer still holds its end."""
_POLL_SECONDS = 0.1
_SILENCE = bytes(CHUNK_BYTES)


class Rehearsal:
    """An AudioSource that takes turns. `microphone` None: typed answers; `player` None: the
    reviewer's turns are shown, not heard. `speed` > 1 runs the reviewer's turns faster than
    real time (tests without speakers)."""

    def __init__(
        self,
        turns: list[ReviewerTurn],
        covered: Covered,
        *,
        microphone: AudioSource | None,
        player: Player | None,
        pause: float = PAUSE_SECONDS,
        no_answer: float = NO_ANSWER_SECONDS,
        speed: float = 1.0,
    ) -> None:
        self._turns = turns
        self._covered = covered
        self._microphone = microphone
        self._player = player
        self._no_answer = no_answer
        self._speed = speed
        self._pause = AnswerEnd(pause)
        self._session: CallSession | None = None
        self._closed = threading.Event()
        self._end_answer = threading.Event()
        self._typed: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._heard: queue.Queue[bytes | UserError] = queue.Queue(maxsize=50)
        # Who took each turn, by its start on the stream clock (the starts kept apart for
        # bisect: every line the recogniser closes asks whose turn it was).
        self._starts: list[float] = []
        self._speakers: list[Speaker] = []
        self._sent = 0  # bytes passed to the session: the stream clock
        self._answer: list[str] = []  # lines closed during the current answer
        self._answering = False
        self._number = 0  # the reviewer turn being asked or answered
        # monotonic: the last answer's end of speech, and when it was judged over
        self._answer_ended: tuple[float, float] | None = None
        self.turnarounds: list[float] = []  # seconds from an answer's last speech to the next turn
        self.after_judging: list[float] = []  # seconds from it being judged over to the next turn

    # -- wiring ---------------------------------------------------------------------

    def connect(self, session: CallSession) -> None:
        """The session this source feeds: told whose turn it is, asked to hear typed lines."""
        self._session = session
        session.listen_to_lines(self._line_closed)

    @property
    def label(self) -> str:
        if self._microphone is None:
            return "rehearsal (typed answers)"
        return f"rehearsal ({self._microphone.label})"

    @property
    def questions(self) -> list[str]:
        """What the reviewer will say, in order, follow-ups included."""
        return [turn.text for turn in self._turns]

    @property
    def pause(self) -> float:
        """Seconds of silence that end a spoken answer."""
        return self._pause.pause

    @property
    def typed(self) -> bool:
        """The clinician answers by typing (no microphone)."""
        return self._microphone is None

    @property
    def speaks(self) -> bool:
        """The reviewer's turns are heard through speakers."""
        return self._player is not None

    def speaker_at(self, seconds: float) -> Speaker | None:
        """Whose turn it was at a moment of the stream: the rehearsal knows, it took them."""
        index = bisect.bisect_right(self._starts, seconds) - 1
        return self._speakers[index] if index >= 0 else None

    # -- what the screen may tell it ------------------------------------------------------

    def end_answer(self) -> None:
        """The clinician has finished the answer (`enter`)."""
        self._end_answer.set()

    def type_answer(self, text: str) -> None:
        self._typed.put(text)

    def close(self) -> None:
        self._closed.set()
        if self._microphone is not None:
            self._microphone.close()
        if self._player is not None:
            self._player.stop()

    # -- the turns ------------------------------------------------------------------------

    def chunks(self) -> Iterator[bytes]:
        if self._microphone is not None:
            threading.Thread(
                target=self._read_microphone, name="rehearsal-mic", daemon=True
            ).start()
        covered = True  # nothing asked yet: no follow-up is due
        objection: str | None = None
        try:
            for turn in self._turns:
                if self._closed.is_set():
                    return
                if turn.follow_up and covered:
                    continue
                objection = turn.objection or objection
                answer = yield from self._ask(turn)
                if turn.answered:
                    covered = objection is None or self._covered(objection, answer)
        finally:
            self.close()

    def _ask(self, turn: ReviewerTurn) -> Generator[bytes, None, str]:
        """The turn spoken, then the clinician's answer; asked once more after silence."""
        for repeat in (False, True):
            yield from self._speak(turn, repeat)
            yield TURN_END  # the reviewer's last sentence closes now, not after a pause
            if not turn.answered:
                yield from self._silence(turn.pause_after)
                return ""
            answer = yield from self._listen(turn)
            if answer or self._closed.is_set():
                return answer
            then = "the reviewer moved on" if repeat else "the reviewer asked again"
            self._note(f"{NO_ANSWER_NOTE} to “{turn.text}” — {then}")
        self._tell(Notice("no answer heard — the reviewer moves on"))
        return ""

    def _speak(self, turn: ReviewerTurn, repeat: bool) -> Iterator[bytes]:
        self._number = turn.number
        self._tell(TurnTaken("reviewer", turn.text, turn.number, repeat=repeat))
        started = time.monotonic()
        if self._answer_ended is not None:
            spoken, judged = self._answer_ended
            self.turnarounds.append(started - spoken)
            self.after_judging.append(started - judged)
            self._answer_ended = None
        self._turn_taken_by("reviewer", self._sent / BYTES_PER_SECOND)
        self._play(turn.played)
        for offset in range(0, len(turn.heard), CHUNK_BYTES):
            if self._closed.is_set():
                return
            self._hear_room()
            wait = started + offset / BYTES_PER_SECOND / self._speed - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            yield self._send(turn.heard[offset : offset + CHUNK_BYTES])
        yield from self._until_heard()

    def _until_heard(self) -> Iterator[bytes]:
        """Silence until the speakers have played the turn out (a speakerphone's room rings
        on, and the output lags): otherwise the microphone would hear the reviewer's last
        syllables as the start of the clinician's answer. The clock runs on meanwhile."""
        if self._player is None:
            return
        still = round(ECHO_SETTLE_SECONDS / CHUNK_SECONDS)  # chunks to wait after the last sound
        while still > 0 and not self._closed.is_set():
            player = self._player
            if player is None or player.playing is None:
                still -= 1
            self._hear_room()
            time.sleep(CHUNK_SECONDS)
            yield self._send(_SILENCE)

    def _listen(self, turn: ReviewerTurn) -> Generator[bytes, None, str]:
        """The clinician's answer, until a pause after speech, `enter`, a typed answer, or
        silence too long to be an answer; returns what was heard ("" for nothing)."""
        self._tell(TurnTaken("clinician", turn.text, turn.number, typed=self.typed))
        turn_start = self._sent / BYTES_PER_SECOND
        self._turn_taken_by("clinician", turn_start)
        self._end_answer.clear()
        self._pause.start()
        self._answer, self._answering = [], True
        started = time.monotonic()
        while not self._closed.is_set() and not self._end_answer.is_set():
            typed = self._take_typed()
            if typed:
                assert self._session is not None, "connect() the rehearsal to its session"
                self._session.typed_line(typed, turn_start, self._sent / BYTES_PER_SECOND)
                break
            chunk = self._next_answer_chunk()
            if chunk is None:
                continue
            yield self._send(chunk)
            if self._pause.feed(chunk):
                break
            waited = time.monotonic() - started
            if not self.typed and not self._pause.heard_speech and waited >= self._no_answer:
                break
            if waited >= LONGEST_ANSWER_SECONDS:
                self._tell(Notice("answer cut at two minutes: keep each turn to about one"))
                break
        judged = time.monotonic()
        spoken = judged - (self._pause.silent_for if self._pause.heard_speech else 0.0)
        self._answer_ended = (spoken, judged)
        yield TURN_END  # the session closes the answer's last line and tells _line_closed
        self._answering = False
        return " ".join(self._answer)

    def _silence(self, seconds: float) -> Iterator[bytes]:
        """A pause between two reviewer turns, in real time."""
        for _ in range(round(seconds / CHUNK_SECONDS)):
            if self._closed.is_set():
                return
            self._hear_room()
            time.sleep(CHUNK_SECONDS / self._speed)
            yield self._send(_SILENCE)

    # -- audio in and out -------------------------------------------------------------------

    def _send(self, chunk: bytes) -> bytes:
        self._sent += len(chunk)
        return chunk

    def _play(self, pcm: bytes) -> None:
        if self._player is None:
            return
        try:
            self._player.play(pcm, at=self._sent / BYTES_PER_SECOND)
        except UserError as error:
            self._player = None
            self._tell(Notice(f"{error} — the reviewer's turns are shown, not heard"))

    def _read_microphone(self) -> None:
        """The microphone's chunks into a queue; its failure too, for the channel thread."""
        assert self._microphone is not None
        try:
            for chunk in self._microphone.chunks():
                self._put(chunk)
        except UserError as error:
            self._put(error)

    def _put(self, item: bytes | UserError) -> None:
        while not self._closed.is_set():
            try:
                self._heard.put(item, timeout=_POLL_SECONDS)
                return
            except queue.Full:
                continue

    def _next_answer_chunk(self) -> bytes | None:
        """The microphone's next chunk; with no microphone, a tenth of a second of silence
        in real time (the call's clock runs while the clinician types)."""
        if self._microphone is None:
            time.sleep(CHUNK_SECONDS)
            return _SILENCE
        try:
            item = self._heard.get(timeout=_POLL_SECONDS)
        except queue.Empty:
            return None
        if isinstance(item, UserError):
            self._microphone = None
            self._tell(Notice(f"{item} — type your answers now (t)"))
            self._tell(TurnTaken("clinician", "", self._number, typed=True))
            return None
        return item

    def _hear_room(self) -> None:
        """While the reviewer speaks, the microphone's audio only teaches the room's level."""
        while True:
            try:
                item = self._heard.get_nowait()
            except queue.Empty:
                return
            if isinstance(item, bytes):
                self._pause.listen(item)
            else:
                self._heard.put_nowait(item)  # the failure is for the answer to report
                return

    def _take_typed(self) -> str | None:
        try:
            return self._typed.get_nowait().strip() or None
        except queue.Empty:
            return None

    # -- the session -------------------------------------------------------------------------

    def _line_closed(self, speaker: Speaker | None, text: str) -> None:
        if self._answering:
            self._answer.append(text)

    def _turn_taken_by(self, speaker: Speaker, start: float) -> None:
        self._starts.append(start)
        self._speakers.append(speaker)

    def _note(self, text: str) -> None:
        if self._session is not None:
            self._session.add_note(text, self._sent / BYTES_PER_SECOND)

    def _tell(self, event: TurnTaken | Notice) -> None:
        if self._session is not None:
            self._session.post(event)
