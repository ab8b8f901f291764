"""Vosk: the accurate recogniser, once a model is installed.

Kaldi does the endpointing itself (the model's conf/model.conf sets the trailing
silence, 0.5 s in the published small models), so this module only turns its
JSON into events. Kaldi's word times count from the start of its own stream and
keep counting across utterances, so they are stream times as they come.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import vosk

from p2p_assist.basics.audio_format import SAMPLE_RATE, SAMPLE_WIDTH
from p2p_assist.recognition.base import PartialResult, RecognitionEvent, Word
from p2p_assist.recognition.models import load_model
from p2p_assist.recognition.results import clean_text, clean_token, make_final

if TYPE_CHECKING:
    from vosk import Model


class VoskRecognizer:
    """Streaming recogniser over a Vosk model; pass a loaded Model to share it."""

    def __init__(self, model: Model | Path | str) -> None:
        label = ""
        if isinstance(model, str | Path):
            label = Path(model).name
            model = load_model(Path(model))
        vosk.SetLogLevel(-1)  # Kaldi logs every recogniser it creates to stderr
        self._name = f"vosk:{label}" if label else "vosk"
        self._model = model
        self._recognizer = self._new_recognizer()
        self._received = 0  # bytes accepted: the stream clock
        self._partial = ""

    @property
    def name(self) -> str:
        return self._name

    def accept(self, pcm: bytes) -> list[RecognitionEvent]:
        self._received += len(pcm)
        if self._recognizer.AcceptWaveform(pcm):
            return self._final(self._recognizer.Result())
        text = clean_text(str(json.loads(self._recognizer.PartialResult()).get("partial", "")))
        if not text or text == self._partial:
            return []
        self._partial = text
        return [PartialResult(text=text, stream_time=self._stream_time())]

    def flush(self) -> list[RecognitionEvent]:
        return self._final(self._recognizer.FinalResult())

    def _new_recognizer(self) -> Any:
        recognizer = vosk.KaldiRecognizer(self._model, SAMPLE_RATE)
        recognizer.SetWords(True)
        return recognizer

    def _final(self, result_json: str) -> list[RecognitionEvent]:
        result: dict[str, Any] = json.loads(result_json)
        words = []
        for item in result.get("result", []):
            text = clean_token(str(item["word"]))
            if text is not None:
                words.append(
                    Word(
                        text=text,
                        start=float(item["start"]),
                        end=float(item["end"]),
                        confidence=float(item.get("conf", 1.0)),
                    )
                )
        now = self._stream_time()
        final = make_final(words, now, now)
        shown, self._partial = self._partial, ""
        # Silence that decoded to nothing is dropped, unless a partial on screen needs clearing.
        return [final] if final.text or shown else []

    def _stream_time(self) -> float:
        return self._received / SAMPLE_WIDTH / SAMPLE_RATE
