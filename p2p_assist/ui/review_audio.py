"""The review screen's ear: plays the call's kept audio from a line or a moment, and tells the
screen what is being heard so its highlight can follow.

What a clinician verifying a quote wants, and so what play does: it starts half a second
before the line (the recogniser's start can clip a first word) and plays on through the call
until stopped, rather than stopping at the line's end. The recogniser splits a sentence
wherever the speaker pauses, so a quote is often two lines; and whether words were an
objection or a hypothetical, an approval or a condition, is heard in what came just before and
after. ←/→ skip 5 s back or on while playing; when stopped they move where play will start.

Opening the output and every play, skip and stop run in thread workers (opening primes the
sound server, which can take a second), one at a time and in the order they were pressed: each
key queues its command and a worker carries out the whole queue under one lock, so a stop
pressed right after a play is never overtaken by it. No worker outlives its commands, so a
test or the app waiting for workers never waits on playback. The audio callback itself never
waits (audio/playback.py). No output device is a banner, not an error: the transcript still
reviews.
"""

from __future__ import annotations

import queue
import threading
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from textual import work
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget

from p2p_assist.audio.call_playback import CallPlayback
from p2p_assist.audio.call_recording import NO_AUDIO, CallRecording
from p2p_assist.audio.playback import Player
from p2p_assist.basics.errors import UserError
from p2p_assist.basics.formatting import clock

LEAD_IN = 0.5  # seconds played before a line's start
SKIP = 5.0
FOLLOW_EVERY = 0.1  # seconds between looks at what is being heard

Command = tuple[Literal["play", "skip", "stop"], float]


def line_at(times: list[float | None], seconds: float) -> int | None:
    """The last line with a time that starts at or before `seconds` (lines in time order)."""
    timed = [(time, line) for line, time in enumerate(times) if time is not None]
    found = bisect_right([time for time, _ in timed], seconds) - 1
    return timed[found][1] if found >= 0 else None


class ReviewAudio(Widget):
    """Not drawn: it holds the player and posts `Heard` as playback moves."""

    DEFAULT_CSS = "ReviewAudio { display: none; }"

    @dataclass
    class Heard(Message):
        """Where playback is (None: stopped), and a short label for it."""

        seconds: float | None
        label: str

    @dataclass
    class Unavailable(Message):
        """No output to play on; the reason, in one line."""

        reason: str

    def __init__(self, call_dir: Path, device: int | str | None = None) -> None:
        super().__init__()
        self.call_dir, self.device = call_dir, device
        self.has_audio = False
        self.unavailable: str | None = None
        self.cue: float | None = None  # where play starts when it is not the line's time
        self._state: Literal["stopped", "starting", "playing"] = "stopped"
        self._playback: CallPlayback | None = None
        self._commands: queue.Queue[Command] = queue.Queue()
        self._one_at_a_time = threading.Lock()
        self._opened = False
        self._problems_told = 0
        self._timer: Timer | None = None

    @property
    def playing(self) -> bool:
        return self._state != "stopped"

    def open(self, audio_files: list[str]) -> None:
        """The call was read: open the output once, if it has audio to play."""
        self.has_audio = bool(audio_files)
        if self.has_audio and not self._opened:
            self._opened = True
            self._timer = self.set_interval(FOLLOW_EVERY, self._follow, pause=True)
            self._open()
        if not self.playing:
            self._tell(None)

    def toggle(self, line_time: float | None) -> bool:
        """Play from the cue or the line (its time), or stop; False when nothing can play."""
        if self.playing:
            self._send("stop")
            self._set_state("stopped")
            return True
        if not self._can_play():
            return False
        start = self.cue if self.cue is not None else _before(line_time)
        if start is None:
            self.notify(
                "This line has no time in the call's audio.", severity="warning", markup=False
            )
            return False
        self._send("play", start)
        self._set_state("starting")
        return True

    def skip(self, seconds: float, line_time: float | None) -> None:
        if self.playing:
            self._send("skip", seconds)
            return
        base = self.cue if self.cue is not None else _before(line_time)
        if base is not None:
            self.cue = max(0.0, base + seconds)
            self._tell(None)

    def forget_cue(self) -> None:
        if self.cue is not None and not self.playing:
            self.cue = None
            self._tell(None)

    def on_unmount(self) -> None:
        if self._playback is not None:
            self._playback.close()  # at once: silence, and the device let go

    def _can_play(self) -> bool:
        if not self.has_audio:
            self.notify(NO_AUDIO, severity="warning", markup=False)
        elif self.unavailable is not None:
            self.notify(f"Cannot play: {self.unavailable}", severity="warning", markup=False)
        else:
            return True
        return False

    def _send(self, what: Literal["play", "skip", "stop"], seconds: float = 0.0) -> None:
        self._commands.put((what, seconds))
        self._carry_out()

    def _set_state(self, state: Literal["stopped", "starting", "playing"]) -> None:
        self._state = state
        if self._timer is not None and state == "playing":
            self._timer.resume()
        elif self._timer is not None:
            self._timer.pause()
        if state != "stopped":
            self.cue = None
        self._tell(self._playback.position if self._playback and state == "playing" else None)

    def _follow(self) -> None:
        heard = self._playback.position if self._playback is not None else None
        if heard is None:
            self._set_state("stopped")  # heard to the end of the call
        else:
            self._tell(heard)
        self._tell_problems()

    def _tell(self, heard: float | None) -> None:
        self.post_message(self.Heard(heard, self._label(heard)))

    def _label(self, heard: float | None) -> str:
        """What the transcript's lower border says: where playback is and the keys for it
        (the footer has no room for them)."""
        if heard is not None:
            return f"▶ {clock(heard)} · space stops · ←/→ {SKIP:.0f} s"
        if not self.has_audio:
            return "no audio kept"
        if self.unavailable is not None:
            return "no sound here"
        if self.cue is not None:
            return f"space plays from {clock(self.cue)}"
        return "space plays the audio"

    def _tell_problems(self) -> None:
        """Each input found unreadable, once, in its own line."""
        problems = self._playback.recording.problems if self._playback else []
        for problem in problems[self._problems_told :]:
            self.notify(problem, severity="warning", markup=False)
        self._problems_told = len(problems)

    def _on_started(self) -> None:
        if self._state == "starting":
            self._set_state("playing")
        self._tell_problems()

    def _on_failed(self, reason: str) -> None:
        if self._state == "starting":
            self._set_state("stopped")
        self._tell_problems()
        told = self._playback.recording.problems if self._playback else []
        if reason not in told:  # an unreadable file is said once, by _tell_problems
            self.notify(reason, severity="warning", markup=False)

    def _on_opened(self, playback: CallPlayback | None, reason: str | None) -> None:
        self._playback = playback
        if reason is not None:
            self.unavailable = reason
            self._set_state("stopped")
            self.post_message(self.Unavailable(reason))

    @work(thread=True, exit_on_error=False, name="open audio")
    def _open(self) -> None:
        with self._one_at_a_time:
            try:
                player = Player(self.device)
                player.prime()
            except UserError as error:
                self.app.call_from_thread(self._on_opened, None, str(error))
                return
            playback = CallPlayback(CallRecording.of_call(self.call_dir), player)
            self.app.call_from_thread(self._on_opened, playback, None)
            self._carry_out_queue(playback)  # what was pressed while the output opened

    @work(thread=True, exit_on_error=False, name="play")
    def _carry_out(self) -> None:
        with self._one_at_a_time:
            if self._playback is not None:  # else the opening worker carries them out
                self._carry_out_queue(self._playback)

    def _carry_out_queue(self, playback: CallPlayback) -> None:
        while True:
            try:
                what, seconds = self._commands.get_nowait()
            except queue.Empty:
                return
            try:
                if what == "stop":
                    playback.stop()
                    continue
                if what == "play":
                    playback.play_from(seconds)
                else:
                    playback.skip(seconds)
            except UserError as error:
                self.app.call_from_thread(self._on_failed, str(error))
                continue
            self.app.call_from_thread(self._on_started)


def _before(line_time: float | None) -> float | None:
    return None if line_time is None else max(0.0, line_time - LEAD_IN)
