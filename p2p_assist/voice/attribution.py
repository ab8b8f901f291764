"""Labelling each utterance clinician, reviewer or unknown from its cues.

Three pieces of evidence, added as log-odds that the line is the clinician's (the near side):
- the channel: full band means the microphone heard the voice directly; a line with nothing
  above the telephone band came over the phone. This alone labels a speakerphone call (the
  physics), and it needs no enrolment;
- a running model of each side: the mean and spread of the cues of lines already labelled
  with confidence (or marked by the clinician with `space`), so a side's own sound (its room,
  its loudspeaker, its voice) counts once the call has taught it;
- the clinician's voice profile, when there is one (`voice enroll` or `--voice-sample`): it
  stands in for the clinician's running model from the first line.
A line whose evidence is weak either way is `unknown`, which the call treats as the reviewer's
(a card it raises is better shown than missed); the caller saves that as no speaker. For the
same reason a full-band line is not called the clinician's on its sound alone until the call
has shown that the far side sounds different (a line heard as the reviewer's) or a profile
says whose voice it is: two people in one room, or a recording of a clean call, are all
full band, and there nobody is labelled clinician by channel alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from p2p_assist.basics.vocabulary import Speaker
from p2p_assist.voice.cues import Floats, UtteranceCues

# The channel cue: energy above the telephone band, in dB relative to the band. A voice over a
# phone line sits near -60 (only the room's ring and the codec's noise), a voice in the room
# between -25 and -10; the midpoint and slope put each clearly on its side.
FULL_BAND_DB = -40.0
CHANNEL_DB_PER_UNIT = 4.0
# Below 250 Hz: the line cuts it too (-20 dB against about +5 for a voice in the room).
LOW_MID_DB = -8.0
LOW_DB_PER_UNIT = 8.0
CHANNEL_CAP = 6.0  # log-odds: the channel cannot outvote everything else on its own
DECIDE = 2.0  # log-odds needed for a label; weaker evidence is unknown
LEARN_FROM = 4.0  # log-odds a line needs before it teaches its side's model
MODEL_AFTER = 3  # lines a side needs before its model votes
MODEL_WEIGHT = 0.5  # per-dimension log-likelihood ratios are correlated: count them at half
MODEL_CAP = 6.0
SPREAD_FLOOR = 1.0  # dB / cepstral units: no dimension is trusted past this spread
RATE = 0.1  # how fast a side's model follows its newest lines


@dataclass(frozen=True, slots=True)
class Attribution:
    speaker: Speaker | None  # None: unknown
    log_odds: float  # > 0 leans clinician, < 0 reviewer


class SideModel:
    """The running mean and spread of one side's cue vectors."""

    def __init__(self, mean: Floats | None = None, spread: Floats | None = None) -> None:
        self.seen = MODEL_AFTER if mean is not None else 0
        self._mean = mean
        self._var = None if spread is None else np.maximum(spread, SPREAD_FLOOR) ** 2

    @property
    def ready(self) -> bool:
        return self.seen >= MODEL_AFTER and self._mean is not None

    def learn(self, vector: Floats) -> None:
        self.seen += 1
        if self._mean is None or self._var is None:
            self._mean, self._var = vector.copy(), np.full(len(vector), 25.0)
            return
        rate = max(RATE, 1 / self.seen)
        delta = vector - self._mean
        self._mean = self._mean + rate * delta
        self._var = np.maximum((1 - rate) * (self._var + rate * delta**2), SPREAD_FLOOR**2)

    def log_likelihood(self, vector: Floats) -> float:
        if self._mean is None or self._var is None:
            return 0.0
        z = (vector - self._mean) ** 2 / self._var
        return float(-0.5 * (z + np.log(self._var)).sum())


def channel_log_odds(cues: UtteranceCues) -> float:
    """Evidence from the physics alone: full band leans clinician, phone band reviewer."""
    high = (cues.high_db - FULL_BAND_DB) / CHANNEL_DB_PER_UNIT
    low = (cues.low_db - LOW_MID_DB) / LOW_DB_PER_UNIT
    return float(np.clip(high + low, -CHANNEL_CAP, CHANNEL_CAP))


class SpeakerModels:
    """The two sides of one call, learnt as it goes."""

    def __init__(self, clinician: SideModel | None = None) -> None:
        self.clinician = clinician or SideModel()
        self.reviewer = SideModel()
        self._profiled = clinician is not None

    def judge(self, cues: UtteranceCues) -> Attribution:
        """Label a line (without learning from it)."""
        log_odds = channel_log_odds(cues)
        vector = cues.vector()
        if self.clinician.ready and self.reviewer.ready:
            ratio = self.clinician.log_likelihood(vector) - self.reviewer.log_likelihood(vector)
            log_odds += float(np.clip(MODEL_WEIGHT * ratio, -MODEL_CAP, MODEL_CAP))
        if cues.mixed:  # both sides in one line: it may hold the reviewer's objection
            return Attribution(None, log_odds)
        if log_odds >= DECIDE and (self._profiled or self.reviewer.seen > 0):
            return Attribution("clinician", log_odds)
        if log_odds <= -DECIDE:
            return Attribution("reviewer", log_odds)
        return Attribution(None, log_odds)

    def learn(self, cues: UtteranceCues, speaker: Speaker) -> None:
        """A line known to be `speaker`'s (marked, or judged with confidence)."""
        side = self.clinician if speaker == "clinician" else self.reviewer
        if side is self.clinician and self._profiled:
            return  # the enrolled profile is the clinician's model; the call does not drift it
        side.learn(cues.vector())

    def judge_and_learn(self, cues: UtteranceCues) -> Attribution:
        judged = self.judge(cues)
        if judged.speaker is not None and abs(judged.log_odds) >= LEARN_FROM:
            self.learn(cues, judged.speaker)
        return judged
