"""The pocketsphinx recogniser on real flite speech, streamed in 0.1 s chunks."""

from __future__ import annotations

import time
from itertools import pairwise
from typing import Protocol

import numpy as np
import pytest
from recognition_audio import (
    content_recall,
    duration,
    finals,
    partials,
    read_pcm,
    silence,
    stream,
)
from speech import FLITE_VOICES, render_speech

from p2p_assist.mock.channel import apply_channel
from p2p_assist.recognition.base import FinalResult
from p2p_assist.recognition.pocketsphinx_engine import (
    LONG_UTTERANCE_SECONDS,
    PocketsphinxRecognizer,
)

# Each test starts the real recognizer, most on rendered speech: 1–3 s apiece on a shared machine.
pytestmark = pytest.mark.slow

FIRST = "The patient has been on this medication for six months without improvement."
SECOND = "We would like to request approval for the new treatment."


class Speak(Protocol):
    def __call__(self, text: str, voice: str = "slt") -> bytes: ...


@pytest.fixture(scope="module")
def speak(tts: None, tmp_path_factory: pytest.TempPathFactory) -> Speak:
    folder = tmp_path_factory.mktemp("flite")

    def render(text: str, voice: str = "slt") -> bytes:
        wav = folder / f"{voice}-{abs(hash(text))}.wav"
        return read_pcm(render_speech(text, wav, voice=voice))

    return render


def words_of(results: list[FinalResult]) -> str:
    return " ".join(result.text for result in results)


@pytest.mark.parametrize("voice", FLITE_VOICES)
def test_most_content_words_are_recognised(speak: Speak, voice: str) -> None:
    recognizer = PocketsphinxRecognizer()
    events = stream(recognizer, speak(FIRST, voice) + silence(1.0)) + recognizer.flush()
    assert content_recall(FIRST, words_of(finals(events))) >= 0.7


def test_partials_arrive_before_the_final_and_only_when_the_text_changes(speak: Speak) -> None:
    events = stream(PocketsphinxRecognizer(), speak(FIRST) + silence(1.0))
    first_final = next(i for i, event in enumerate(events) if isinstance(event, FinalResult))
    early = partials(events[:first_final])
    assert len(early) >= 3
    assert all(a.text != b.text for a, b in pairwise(early))
    assert all(a.stream_time <= b.stream_time for a, b in pairwise(early))


def test_a_one_second_pause_splits_two_sentences(speak: Speak) -> None:
    first = speak(FIRST)
    pcm = first + silence(1.0) + speak(SECOND) + silence(1.0)
    results = finals(stream(PocketsphinxRecognizer(), pcm))
    assert len(results) == 2
    assert content_recall(FIRST, results[0].text) >= 0.7
    assert content_recall(SECOND, results[1].text) >= 0.7
    # Stream time runs on across utterances: the second starts after the pause.
    assert results[1].start >= duration(first) + 0.5


def test_word_times_are_ordered_and_inside_the_audio(speak: Speak) -> None:
    lead = 0.7
    pcm = silence(lead) + speak(FIRST) + silence(1.0) + speak(SECOND, "kal16") + silence(0.6)
    recognizer = PocketsphinxRecognizer()
    results = finals(stream(recognizer, pcm) + recognizer.flush())
    words = [word for result in results for word in result.words]
    assert len(words) >= 10
    assert words[0].start >= lead - 0.3  # the pre-roll reaches back a little
    assert words[-1].end <= duration(pcm)
    for word in words:
        assert word.start < word.end
        assert 0.0 <= word.confidence <= 1.0
    for before, after in pairwise(words):
        assert before.end <= after.start + 1e-6


def test_a_long_monologue_is_split_at_a_short_pause_after_twelve_seconds(speak: Speak) -> None:
    sentences = [
        "The patient has been on this medication for six months.",
        "Her joint pain did not improve at all.",
        "We also tried a second drug for twelve weeks.",
        "The guidelines recommend a biologic agent now.",
        "Please reconsider the denial of this treatment.",
        "I can send the missing records today.",
    ]
    pcm = b"".join(speak(sentence) + silence(0.1) for sentence in sentences)
    recognizer = PocketsphinxRecognizer()
    results = finals(stream(recognizer, pcm) + recognizer.flush())
    assert len(results) >= 2
    assert results[0].end >= LONG_UTTERANCE_SECONDS - 1.0  # short pauses were not enough before


def test_a_speakerphone_turn_right_after_a_full_band_turn_is_heard(speak: Speak) -> None:
    """The two sides of a speakerphone call differ wildly in cepstral mean; each utterance is
    normalised by its own, not by the other side's (which left this one mostly misheard)."""
    reviewer = "Has she tried the preferred biosimilar for twelve weeks first?"
    far = np.frombuffer(speak(reviewer, "rms"), dtype="<i2").astype(np.int16)
    far_side = apply_channel(far, "speakerphone").astype("<i2").tobytes()
    pcm = speak(FIRST) + silence(1.0) + far_side + silence(1.0)

    results = finals(stream(PocketsphinxRecognizer(), pcm))

    assert len(results) == 2
    assert content_recall(reviewer, results[1].text) >= 0.7


def test_a_word_shorter_than_the_measured_second_is_heard(speak: Speak) -> None:
    results = finals(stream(PocketsphinxRecognizer(), speak("Approved.") + silence(1.0)))

    assert len(results) == 1 and results[0].words


def test_markers_and_pronunciation_variants_never_reach_the_words(speak: Speak) -> None:
    recognizer = PocketsphinxRecognizer()
    events = stream(recognizer, speak(FIRST + " " + SECOND)) + recognizer.flush()
    for word in (word for result in finals(events) for word in result.words):
        assert word.text[0] not in "<[+" and not word.text.endswith(")")


def test_flush_closes_an_utterance_cut_off_mid_speech(speak: Speak) -> None:
    sentence = speak(FIRST)
    cut = sentence[: len(sentence) * 2 // 3 // 2 * 2]
    recognizer = PocketsphinxRecognizer()
    assert finals(stream(recognizer, cut)) == []
    closing = recognizer.flush()
    assert len(closing) == 1 and isinstance(closing[0], FinalResult)
    assert closing[0].words and closing[0].end <= duration(cut)
    assert recognizer.flush() == []


def test_silence_produces_no_events() -> None:
    recognizer = PocketsphinxRecognizer()
    assert stream(recognizer, silence(3.0)) + recognizer.flush() == []


def test_chunk_size_does_not_change_what_is_heard(speak: Speak) -> None:
    pcm = speak(FIRST) + silence(1.0)
    by_tenths = finals(stream(PocketsphinxRecognizer(), pcm))
    by_odd_sizes = finals(stream(PocketsphinxRecognizer(), pcm, chunk=999))
    assert [r.text for r in by_odd_sizes] == [r.text for r in by_tenths]
    assert [r.start for r in by_odd_sizes] == pytest.approx([r.start for r in by_tenths])


def test_the_recogniser_names_its_engine() -> None:
    assert PocketsphinxRecognizer().name == "pocketsphinx"


def test_runs_well_under_real_time(speak: Speak) -> None:
    pcm = speak(FIRST + " " + SECOND) * 3
    recognizer = PocketsphinxRecognizer()
    started = time.process_time()
    stream(recognizer, pcm)
    recognizer.flush()
    assert time.process_time() - started < 0.6 * duration(pcm)
