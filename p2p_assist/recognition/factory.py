"""Choosing the recogniser: Vosk when a model is installed, pocketsphinx otherwise.

"auto" never fails for want of a model, so a fresh install still transcribes;
it says once, in one line, that installing a model would do better.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from p2p_assist.recognition.base import Recognizer
from p2p_assist.recognition.models import INSTALL_FIX, find_model, no_model_error

EngineChoice = Literal["auto", "vosk", "pocketsphinx"]


def open_recognizer(
    engine: EngineChoice = "auto", model: Path | None = None
) -> tuple[Recognizer, str | None]:
    """The recogniser for `engine`, and a notice for the user when auto fell back."""
    # Engines are imported here: each loads a native library and a model.
    if engine != "pocketsphinx":
        located = find_model(model)
        if located is not None:
            from p2p_assist.recognition.vosk_engine import VoskRecognizer

            return VoskRecognizer(located.path), None
        if engine == "vosk":
            raise no_model_error()
    from p2p_assist.recognition.pocketsphinx_engine import PocketsphinxRecognizer

    notice = (
        None
        if engine == "pocketsphinx"
        else f"using pocketsphinx: no Vosk model found (Vosk is more accurate — {INSTALL_FIX})"
    )
    return PocketsphinxRecognizer(), notice
