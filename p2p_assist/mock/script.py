"""The mock-call script: who says what, in which voice, and what the tool should catch.

A script is TOML so clinicians can write one by hand; it is rendered to a WAV by
`render.py` and the `expect`/`captures` fields become the answer key benchmarks
score the live pipeline against.

    title = "Lumbar MRI denial"
    case_id = "demo-001"

    [voices]
    reviewer = "rms"
    clinician = "slt"

    [channel]                    # how each voice reaches the microphone (mock/channel.py)
    reviewer = "speakerphone"
    clinician = "clean"

    [[turns]]
    speaker = "reviewer"
    text = "The request does not show six weeks of conservative therapy."
    expect = ["conservative-therapy"]
    captures = { reviewer_name = "Dr. Patel" }
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from p2p_assist.basics.errors import UserError, file_error
from p2p_assist.basics.strict import Strict
from p2p_assist.basics.vocabulary import Speaker, VoiceChannel

Voice = Literal["slt", "rms", "awb", "kal16"]

_FIXES = {"extra_forbidden": "remove it or correct its spelling", "missing": "add it"}


class Voices(Strict):
    """flite voice per speaker (espeak-ng stands in with a similar voice if flite is missing)."""

    reviewer: Voice = "rms"
    clinician: Voice = "slt"

    def for_speaker(self, speaker: Speaker) -> Voice:
        return self.reviewer if speaker == "reviewer" else self.clinician


class Channels(Strict):
    """The channel per speaker. The defaults are a speakerphone call: the reviewer comes over
    the phone and out of a loudspeaker, the clinician speaks straight into the microphone."""

    reviewer: VoiceChannel = "speakerphone"
    clinician: VoiceChannel = "clean"

    def for_speaker(self, speaker: Speaker) -> VoiceChannel:
        return self.reviewer if speaker == "reviewer" else self.clinician


class Turn(Strict):
    speaker: Speaker
    text: str = Field(min_length=1, pattern=r"\S")
    pause_after: float = Field(default=0.8, ge=0.0, le=60.0)
    """Seconds of silence after the turn, before the next speaker starts."""
    expect: tuple[str, ...] = ()
    """Objection ids the tool should raise on this turn."""
    captures: dict[str, str] = Field(default_factory=dict)
    """Call-note fields the tool should fill from this turn, with their values."""
    follow_up: bool = False
    """A reviewer's follow-up: a recording always holds it, but a rehearsal speaks it (and
    waits for its answer) only when the answer before it left out facts the card names."""


class MockScript(Strict):
    title: str = Field(min_length=1)
    case_id: str | None = None
    voices: Voices = Voices()
    channel: Channels = Channels()
    turns: tuple[Turn, ...] = Field(min_length=1)


def load_script(path: Path | str) -> MockScript:
    """Read and validate a script; any problem is one UserError naming the file and field."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise file_error(path, "no such file", "check the path") from None
    except (OSError, UnicodeDecodeError) as error:
        raise file_error(path, f"cannot be read ({error})", "check the file") from None
    except tomllib.TOMLDecodeError as error:
        raise file_error(path, f"invalid TOML ({error})", "fix the syntax") from None
    try:
        return MockScript.model_validate(data)
    except ValidationError as error:
        raise _validation_error(path, error) from None


def _validation_error(path: Path, error: ValidationError) -> UserError:
    locations = [item["loc"] for item in error.errors()]
    # A bad turn also makes `turns` look too short; only the innermost errors help the user.
    errors = [
        item
        for item in error.errors()
        if not any(
            len(loc) > len(item["loc"]) and loc[: len(item["loc"])] == item["loc"]
            for loc in locations
        )
    ]
    first = errors[0]
    field = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"])
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    fix = _FIXES.get(first["type"], "correct the value")
    return file_error(path, f"{first['msg']}{more}", fix, field=field.lstrip(".") or None)
