"""Playing a saved call from any moment on, reading its audio ahead as it plays.

A call can be an hour long (115 MB as PCM), so it is never read whole: playing starts on the
first FIRST_READ seconds — a small read, so the first sample goes out soon after the key —
and a feeder thread keeps AHEAD seconds queued beyond what is being heard. Skipping back or
on is playing again from the new moment. The feeder reads the file and may wait; the audio
callback never does (playback.py).
"""

from __future__ import annotations

import threading

from p2p_assist.audio.call_recording import CallRecording
from p2p_assist.audio.playback import Player, Playing
from p2p_assist.basics.errors import UserError

FIRST_READ = 2.0  # seconds read before the first sample is played
AHEAD = 8.0  # seconds kept queued beyond the one being heard
READ_STEP = 4.0  # seconds read at a time by the feeder
POLL = 0.2  # how often the feeder looks; a read takes a few milliseconds


class CallPlayback:
    """One call's audio on one player. Any thread may call it; one call runs at a time."""

    def __init__(self, recording: CallRecording, player: Player) -> None:
        self.recording = recording
        self.player = player
        self._lock = threading.Lock()
        self._playing: Playing | None = None
        self._stopped = threading.Event()

    @property
    def position(self) -> float | None:
        """The moment of the call being heard; None when nothing plays."""
        playing = self._playing
        return None if playing is None or playing.done else playing.position

    def play_from(self, seconds: float) -> None:
        """Play on from `seconds` into the call, in place of anything playing. UserError when
        there is no audio to play there (none kept, unreadable, or after its end)."""
        with self._lock:
            self._start(max(0.0, seconds))

    def skip(self, seconds: float) -> float:
        """Play on from `seconds` before (negative) or after what is heard now; returns the new
        moment. UserError when there is no audio there: what was playing plays on."""
        with self._lock:
            heard = self.position
            if heard is None:
                raise UserError("Nothing is playing.")
            start = max(0.0, heard + seconds)
            self._start(start)
        return start

    def stop(self) -> None:
        with self._lock:
            self._playing = None
            self.player.stop()

    def close(self) -> None:
        self._stopped.set()
        with self._lock:
            self._playing = None
            self.player.close()

    def _start(self, start: float) -> None:
        pcm = self.recording.read(start, start + FIRST_READ)
        if not pcm:
            raise self.recording.nothing_at(start)
        playing = self._playing = self.player.play(pcm, start, final=False)
        threading.Thread(target=self._feed, args=(playing,), name="playback", daemon=True).start()

    def _feed(self, playing: Playing) -> None:
        """Keep `playing` fed until it is replaced, stopped or heard to its end."""
        while not self._stopped.wait(POLL):
            with self._lock:
                if self._playing is not playing:
                    return
                if playing.done:
                    self._playing = None
                    self.player.stop()
                    return
                if not playing.complete and playing.queued_until - playing.position < AHEAD:
                    self._read_on(playing)

    def _read_on(self, playing: Playing) -> None:
        start = playing.queued_until
        try:
            pcm = self.recording.read(start, start + READ_STEP)
        except UserError:  # every input became unreadable; recording.problems says why
            pcm = b""
        playing.extend(pcm, final=not pcm)  # nothing more: every input has ended
