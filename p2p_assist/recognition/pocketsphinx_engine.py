"""Pocketsphinx: the fallback recogniser that works with no model download.

It is less accurate than Vosk but ships its US English model inside the wheel,
so a fresh install still transcribes. Pocketsphinx decodes one utterance at a
time, so this module adds the endpointing: a VAD opens an utterance on speech
and closes it after a pause, and the decoder sees contiguous audio in between,
which keeps its frame numbers a straight offset from stream time.

Each utterance is normalised by its own cepstral mean. Pocketsphinx's live
normalisation starts an utterance from the mean of the ones before it, which on a
speakerphone call belong to the other side: the clinician's full-band voice and
the reviewer's telephone-band one have wildly different means, so every turn began
decoding with the wrong one. The search therefore waits for the first second of
an utterance, whose mean is measured first (bench/phone_channel.py: word error rate
on the reviewer's speakerphone lines 0.68 -> see the module constant's comment).

The language model is the bundled general English one mixed with the prompt library's own
words (built by scripts/build_phone_lm.py), and the library's terms the bundled dictionary
lacks are added to it: over a phone line the sounds say little and the decoder leans on what
it expects to hear, so it should expect "failed methotrexate" and know "InterQual".
Measured on the tuning set (bench/phone_channel.py, four voices): reviewer word error rate
clean / phone / speakerphone 0.19 / 0.48 / 0.64 -> 0.10 / 0.35 / 0.48, objection F1
0.81 / 0.67 / 0.50 -> 0.84 / 0.79 / 0.71. A heavier language weight (-lw 9) lost on both
(word error rate 0.16 clean, 0.57 speakerphone), so the default stays.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

import pocketsphinx

from p2p_assist.basics.audio_format import SAMPLE_RATE, SAMPLE_WIDTH
from p2p_assist.recognition.base import (
    FinalResult,
    PartialResult,
    RecognitionEvent,
    Word,
)
from p2p_assist.recognition.cepstral_mean import CepstralMeter
from p2p_assist.recognition.results import clean_token, make_final

DECODER_FRAME_RATE = 100  # pocketsphinx's default -frate: word times are in 10 ms frames

# A pause this long ends an utterance. People pause ~0.2-0.4 s inside a
# sentence and longer between them; much shorter splits sentences mid-clause,
# much longer delays the final the matcher waits for.
END_SILENCE_SECONDS = 0.5
# After this much speech without such a pause, a shorter one will do, so a long
# monologue still produces finals instead of one ever-growing partial.
LONG_UTTERANCE_SECONDS = 12.0
LONG_END_SILENCE_SECONDS = 0.2
# Speech must fill most of a short window to open an utterance, so a click or a
# breath does not; the window's audio and a little before it go to the decoder
# so the first word is not clipped.
START_WINDOW_SECONDS = 0.24
START_SPEECH_FRACTION = 0.75
PREROLL_SECONDS = 0.45
# The looser VAD modes call a quiet noise floor speech until they have adapted
# to it, which stretches every pause (a 0.5 s gap took 0.6 s on clean audio);
# this one measures pauses alike with and without background noise, and the
# strictest mode is tuned to reject speech-like noise at the cost of soft speech.
VAD_MODE = pocketsphinx.Vad.MEDIUM_STRICT
# Audio measured for an utterance's cepstral mean before its search starts (after the
# preroll). Half a second of speech gives a mean too noisy to help; a second is enough.
CMN_ESTIMATE_SECONDS = 1.0
LANGUAGE_MODEL = Path(__file__).with_name("p2p-en-us.lm.bin")
DOMAIN_WORDS = Path(__file__).with_name("domain_words.dict")


class PocketsphinxRecognizer:
    """Streaming recogniser over the bundled US English pocketsphinx model."""

    def __init__(self) -> None:
        self._decoder = pocketsphinx.Decoder(
            samprate=SAMPLE_RATE,
            lm=str(LANGUAGE_MODEL),
            loglevel="ERROR",
            # Measured on flite speech: dropping the flat-lexicon second pass and
            # capping active HMMs halves decode time with no loss in word accuracy.
            fwdflat=False,
            maxhmmpf=3000,
        )
        _add_domain_words(self._decoder)
        self._meter = CepstralMeter()
        self._vad = pocketsphinx.Vad(VAD_MODE, SAMPLE_RATE)
        self._frame_bytes = int(self._vad.frame_bytes)
        frame_seconds = self._frame_bytes / SAMPLE_WIDTH / SAMPLE_RATE

        def frames(seconds: float) -> int:
            return round(seconds / frame_seconds)

        self._start_window = frames(START_WINDOW_SECONDS)
        self._start_needed = round(self._start_window * START_SPEECH_FRACTION)
        self._end_frames = frames(END_SILENCE_SECONDS)
        self._long_end_frames = frames(LONG_END_SILENCE_SECONDS)
        self._long_frames = frames(LONG_UTTERANCE_SECONDS)
        self._preroll: deque[tuple[bytes, bool]] = deque(maxlen=frames(PREROLL_SECONDS))
        self._estimate_frames = frames(CMN_ESTIMATE_SECONDS)
        self._pending = bytearray()  # bytes not yet a whole VAD frame
        self._to_decode = bytearray()  # utterance audio batched for one process_raw call
        self._received = 0  # bytes accepted since creation: the stream clock
        self._classified = 0  # bytes the VAD has consumed
        self._in_utterance = False
        self._searching = False  # the decoder's utterance has started (its mean is measured)
        self._search_after = 0  # utterance frames to buffer before the search starts
        self._utterance_start = 0  # byte offset in the stream of the decoder's frame 0
        self._utterance_frames = 0
        self._silent_frames = 0
        self._partial = ""

    @property
    def name(self) -> str:
        return "pocketsphinx"

    def accept(self, pcm: bytes) -> list[RecognitionEvent]:
        self._received += len(pcm)
        self._pending += pcm
        events: list[RecognitionEvent] = []
        frame_bytes = self._frame_bytes
        while len(self._pending) >= frame_bytes:
            frame = bytes(self._pending[:frame_bytes])
            del self._pending[:frame_bytes]
            self._classified += frame_bytes
            if self._step(frame) and (final := self._end_utterance()) is not None:
                events.append(final)
        if self._in_utterance:
            self._decode_batched()
            partial = self._partial_event()
            if partial is not None:
                events.append(partial)
        return events

    def flush(self) -> list[RecognitionEvent]:
        events: list[RecognitionEvent] = []
        if self._in_utterance:
            whole_samples = len(self._pending) - len(self._pending) % SAMPLE_WIDTH
            self._to_decode += self._pending[:whole_samples]
            self._classified += whole_samples
            final = self._end_utterance()
            if final is not None:
                events.append(final)
        self._drop_buffers()
        return events

    def _step(self, frame: bytes) -> bool:
        """Run one VAD frame through the endpointer; True when it closes the utterance."""
        is_speech = bool(self._vad.is_speech(frame))
        if not self._in_utterance:
            self._preroll.append((frame, is_speech))
            recent = list(self._preroll)[-self._start_window :]
            if sum(speech for _, speech in recent) >= self._start_needed:
                self._start_utterance()
            return False
        self._to_decode += frame
        self._utterance_frames += 1
        self._silent_frames = 0 if is_speech else self._silent_frames + 1
        is_long = self._utterance_frames >= self._long_frames
        return self._silent_frames >= (self._long_end_frames if is_long else self._end_frames)

    def _start_utterance(self) -> None:
        self._utterance_start = self._classified - len(self._preroll) * self._frame_bytes
        self._to_decode += b"".join(frame for frame, _ in self._preroll)
        self._utterance_frames = len(self._preroll)
        self._search_after = len(self._preroll) + self._estimate_frames
        self._preroll.clear()
        self._silent_frames = 0
        self._partial = ""
        self._in_utterance = True

    def _end_utterance(self) -> FinalResult | None:
        if not self._searching:
            self._start_search()  # a short utterance: its mean is measured over all of it
        self._decode_batched()
        self._decoder.end_utt()
        self._in_utterance = self._searching = False
        offset = self._utterance_start / SAMPLE_WIDTH / SAMPLE_RATE
        words = []
        for segment in self._decoder.seg():
            text = clean_token(segment.word)
            if text is None:
                continue
            words.append(
                Word(
                    text=text,
                    start=offset + segment.start_frame / DECODER_FRAME_RATE,
                    # end_frame is inclusive
                    end=offset + (segment.end_frame + 1) / DECODER_FRAME_RATE,
                    # A posterior because bestpath (the default) is on; log-domain
                    # rounding can put it a hair above 1.
                    confidence=min(1.0, float(segment.prob)),
                )
            )
        end = self._classified / SAMPLE_WIDTH / SAMPLE_RATE
        final = make_final(words, offset, end)
        shown, self._partial = self._partial, ""
        # Noise that decoded to nothing is dropped, unless a partial on screen needs clearing.
        return final if final.text or shown else None

    def _decode_batched(self) -> None:
        if not self._searching:
            if self._utterance_frames < self._search_after:
                return
            self._start_search()
        if self._to_decode:
            self._decoder.process_raw(bytes(self._to_decode))
            self._to_decode.clear()

    def _start_search(self) -> None:
        """Measure the cepstral mean of the audio so far, then start decoding with it."""
        self._decoder.set_cmn(self._meter.mean(bytes(self._to_decode)))
        self._decoder.start_utt()
        self._searching = True

    def _partial_event(self) -> PartialResult | None:
        if not self._searching:
            return None
        hypothesis = self._decoder.hyp()
        text = hypothesis.hypstr if hypothesis is not None else ""
        if not text or text == self._partial:
            return None
        self._partial = text
        return PartialResult(text=text, stream_time=self._received / SAMPLE_WIDTH / SAMPLE_RATE)

    def _drop_buffers(self) -> None:
        self._pending.clear()
        self._to_decode.clear()
        self._preroll.clear()
        self._classified = self._received
        self._partial = ""


def _add_domain_words(decoder: pocketsphinx.Decoder) -> None:
    """Teach the decoder the library's terms (one `word PHONES` a line) it cannot spell; the
    search is rebuilt once, after the last."""
    pronunciations = [line.split(" ", 1) for line in DOMAIN_WORDS.read_text().splitlines()]
    new = [(word, phones) for word, phones in pronunciations if decoder.lookup_word(word) is None]
    for number, (word, phones) in enumerate(new, 1):
        decoder.add_word(word, phones, update=number == len(new))
