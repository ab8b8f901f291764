"""Words with one meaning across the package: who speaks, what kind of call it is."""

from __future__ import annotations

from typing import Literal

Speaker = Literal["reviewer", "clinician"]
"""Who said a line; None where a line's speaker is not known."""

SPEAKER_NAMES: dict[Speaker | None, str] = {
    "reviewer": "Reviewer",
    "clinician": "Clinician",
    None: "Speaker",
}

CallKind = Literal["live", "practice", "transcribed"]
