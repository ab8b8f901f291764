"""Spectral and cepstral cues of the audio, frame by frame, and pooled over an utterance.

On a speakerphone call the two sides reach the one microphone through different physics: the
reviewer's voice has crossed a telephone line (300-3400 Hz, sampled at 8 kHz, so nothing above
4 kHz and little below 300 Hz) and a small loudspeaker; the clinician's comes straight in, full
band. So the share of an utterance's energy above 3.7 kHz and below 250 Hz says which side it
came from (on rendered calls: about -58 dB above the band for the far side against -12 to -20
dB for the near side), and the mean of its cepstrum says whose voice it is.

Frames are 25 ms, not overlapping, Hann-windowed: cheap enough to run on every chunk as it
arrives (a second of audio costs well under a millisecond), and an utterance's cues are then
pooled from frames already computed, so labelling a line costs almost nothing when it ends.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from p2p_assist.basics.audio_format import SAMPLE_RATE

Floats = npt.NDArray[np.float64]

FRAME = 400  # samples: 25 ms
FRAME_SECONDS = FRAME / SAMPLE_RATE
HISTORY_SECONDS = 120.0  # frames kept; a longer utterance is judged on its last two minutes
LOW_HZ = 250.0  # below the telephone band
BAND_FROM_HZ, BAND_TO_HZ = 300.0, 3400.0  # the telephone band
HIGH_HZ = 3700.0  # above it (a line sampled at 8 kHz carries nothing past 4 kHz)
MEL_BANDS = 24
CEPSTRA = 12  # c1..c12: c0 is loudness, which says nothing about who speaks
SPEECH_WITHIN_DB = 35.0  # frames this far below an utterance's loudest count as its speech
QUIET_POWER = 1e4  # a frame's summed power below this is digital silence (under one bit)
NOISE_PERCENTILE = 10.0  # a call is at least this much pause: its quietest frames are the room
NOISE_SPREAD = 2.0  # steady noise's frames stay within twice (3 dB of) its quietest
FULL_FRAME_DB = -30.0  # a frame with this much above the telephone band came in full band
MIXED_WINDOW = 40  # frames of speech: a second
MIXED_FULL_SHARE = 0.25
SIGNIFICANT = 3.0  # standard deviations of the noise: less excess power than this is noise
MIN_SPEECH_FRAMES = 8  # 0.2 s of speech: fewer gives no cues worth trusting
_FLOOR = 1e-3  # keeps the logs finite on digital silence
FLOOR_DB = -80.0  # a band this far below the voice band is empty: lower says nothing more


@dataclass(frozen=True, slots=True)
class UtteranceCues:
    """What one stretch of speech gives away about its speaker."""

    high_db: float  # energy above HIGH_HZ relative to the telephone band
    low_db: float  # energy below LOW_HZ relative to the telephone band
    cepstrum: tuple[float, ...]  # mean MFCC c1..c12 over the speech frames
    speech_seconds: float
    mixed: bool = False  # a stretch of it was band-limited and another full band: both sides

    def vector(self) -> Floats:
        """The cues as one vector, in the order the voice models keep them."""
        return np.array([self.high_db, self.low_db, *self.cepstrum])


def _mel_filters() -> Floats:
    """Triangular mel filters over the frame's rfft bins (MEL_BANDS x bins)."""
    bins = np.fft.rfftfreq(FRAME, 1 / SAMPLE_RATE)
    mel = 2595 * np.log10(1 + np.array([0.0, SAMPLE_RATE / 2]) / 700)
    edges_mel = np.linspace(mel[0], mel[1], MEL_BANDS + 2)
    edges = 700 * (10 ** (edges_mel / 2595) - 1)
    filters = np.zeros((MEL_BANDS, len(bins)))
    for band in range(MEL_BANDS):
        left, centre, right = edges[band : band + 3]
        rising = (bins - left) / (centre - left)
        falling = (right - bins) / (right - centre)
        filters[band] = np.clip(np.minimum(rising, falling), 0.0, None)
    return filters


def _dct_matrix() -> Floats:
    """DCT-II rows 1..CEPSTRA: the mean cepstrum is this times the mean log-mel energies."""
    n = np.arange(MEL_BANDS)
    return np.array(
        [np.cos(np.pi * k * (2 * n + 1) / (2 * MEL_BANDS)) for k in range(1, CEPSTRA + 1)]
    )


_BINS = np.fft.rfftfreq(FRAME, 1 / SAMPLE_RATE)
_LOW = _BINS < LOW_HZ
_BAND = (_BINS >= BAND_FROM_HZ) & (_BINS <= BAND_TO_HZ)
_HIGH = _BINS >= HIGH_HZ
_WINDOW = np.hanning(FRAME)
# per frame: total, low, band and high power, then the mel energies (logged once summed)
_WEIGHTS = np.column_stack([np.ones(len(_BINS)), _LOW, _BAND, _HIGH, _mel_filters().T])
_DCT = _dct_matrix()
_HISTORY = round(HISTORY_SECONDS / FRAME_SECONDS)
_COLUMNS = _WEIGHTS.shape[1]


class FrameCues:
    """The cues of every frame heard in the last HISTORY_SECONDS, on the stream's clock."""

    def __init__(self) -> None:
        self._frames = np.zeros((_HISTORY, _COLUMNS))
        self._count = 0  # frames computed since the stream began
        self._pending = np.zeros(0, dtype=np.int16)

    def feed(self, pcm: bytes) -> None:
        """Add 16 kHz mono s16le audio (any length; a partial frame waits for the next)."""
        samples = np.concatenate([self._pending, np.frombuffer(pcm, dtype="<i2")])
        whole = len(samples) // FRAME * FRAME
        self._pending = samples[whole:]
        if not whole:
            return
        spectrum = np.fft.rfft(samples[:whole].reshape(-1, FRAME) * _WINDOW, axis=1)
        rows = (spectrum.real**2 + spectrum.imag**2) @ _WEIGHTS  # one product: every column
        rows[:, 4:] = np.log(rows[:, 4:] + _FLOOR)
        if len(rows) > _HISTORY:  # more than the history holds: only its newest part is kept
            self._count += len(rows) - _HISTORY
            rows = rows[-_HISTORY:]
        self._store(rows)

    def _store(self, rows: Floats) -> None:
        first = self._count % _HISTORY
        room = _HISTORY - first
        self._frames[first : first + min(room, len(rows))] = rows[:room]
        if len(rows) > room:
            self._frames[: len(rows) - room] = rows[room:]
        self._count += len(rows)

    def _noise(self) -> tuple[Floats, Floats]:
        """The mean and spread of the low, band and high power of the pauses: every frame
        near the quietest. (The quietest alone are the frames where the noise happened
        to dip: their mean falls short of the noise, and the rest would be taken for voice.)"""
        rows = self._frames[: min(self._count, _HISTORY)]
        floor = np.percentile(rows[:, 0], NOISE_PERCENTILE)
        quiet = rows[rows[:, 0] <= floor * NOISE_SPREAD][:, 1:4]
        return np.asarray(quiet.mean(axis=0)), np.asarray(quiet.std(axis=0))

    def cues(self, start: float, end: float) -> UtteranceCues | None:
        """The pooled cues of the speech between `start` and `end` (stream seconds); None
        when there is too little speech there to judge."""
        first = max(int(start / FRAME_SECONDS), self._count - _HISTORY, 0)
        last = min(int(np.ceil(end / FRAME_SECONDS)), self._count)
        if last - first < MIN_SPEECH_FRAMES:
            return None
        rows = self._frames[np.arange(first, last) % _HISTORY]
        total = rows[:, 0]
        noise, spread = self._noise()
        loud = (total >= total.max() * 10 ** (-SPEECH_WITHIN_DB / 10)) & (total > QUIET_POWER)
        speech = rows[loud]
        if len(speech) < MIN_SPEECH_FRAMES:
            return None
        # The room's noise fills every band, the one above the telephone line too: take its
        # mean power per band out of the speech, or a far voice over a noisy room sounds full.
        # What the noise's own ups and downs could leave over is no voice: a band counts as
        # empty unless the excess stands SIGNIFICANT spreads of the noise sum above it.
        excess = speech[:, 1:4].sum(axis=0) - len(speech) * noise
        heard = excess > SIGNIFICANT * np.sqrt(len(speech)) * spread
        low, band, high = np.where(heard, excess, 0.0) + _FLOOR
        full_band = speech[:, 3] - noise[2] > speech[:, 2] * 10 ** (FULL_FRAME_DB / 10)
        cepstrum = _DCT @ speech[:, 4:].mean(axis=0)
        return UtteranceCues(
            high_db=max(float(10 * np.log10(high / band)), FLOOR_DB),
            low_db=max(float(10 * np.log10(low / band)), FLOOR_DB),
            cepstrum=tuple(float(c) for c in cepstrum),
            speech_seconds=len(speech) * FRAME_SECONDS,
            mixed=_both_sides(full_band),
        )


def _both_sides(full_band: npt.NDArray[np.bool_]) -> bool:
    """Whether the line holds a second of speech with no full-band frame in it and another
    second that is clearly full band: the endpointer ran one side's line into the other's.
    (A voice in the room is full band in a third to nine tenths of its frames, so a whole
    second of it without one is not itself; a voice over the phone never is.)"""
    windows = len(full_band) // MIXED_WINDOW
    if windows < 2:
        return False
    shares = full_band[: windows * MIXED_WINDOW].reshape(windows, MIXED_WINDOW).mean(axis=1)
    return bool(shares.min() == 0.0 and shares.max() >= MIXED_FULL_SHARE)
