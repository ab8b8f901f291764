"""The timeline written beside a rendered mock call: when each turn is heard.

Benchmarks compare these times with when the live pipeline reacted, so `end` is
where the voice stops, not where the following pause ends.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from p2p_assist.basics.errors import file_error
from p2p_assist.basics.vocabulary import Speaker, VoiceChannel
from p2p_assist.mock.script import Voice


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TimelineTurn(_Frozen):
    index: int
    speaker: Speaker
    voice: Voice
    channel: VoiceChannel = "clean"
    """How the voice reached the microphone; timelines from before channels existed were clean."""
    text: str
    start: float
    """Seconds from the start of the WAV to the first audible sample of the turn."""
    end: float
    """Seconds from the start of the WAV to the last audible sample of the turn."""
    expect: tuple[str, ...]
    captures: dict[str, str]


class Timeline(_Frozen):
    title: str
    case_id: str | None
    audio: str
    """File name of the WAV, which sits in the same folder."""
    duration: float
    tts: str
    turns: tuple[TimelineTurn, ...]


def timeline_path(wav: Path) -> Path:
    return wav.with_suffix(".timeline.json")


def load_timeline(path: Path | str) -> Timeline:
    path = Path(path)
    try:
        return Timeline.model_validate_json(path.read_bytes())
    except OSError as error:
        raise file_error(
            path, f"cannot be read ({error.strerror})", "render the call again"
        ) from None
    except ValidationError as error:
        problem = f"not a mock-call timeline ({error.errors()[0]['msg']})"
        raise file_error(
            path, problem, "render the call again with `p2p-assist mock render`"
        ) from None
