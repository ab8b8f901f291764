"""Words with one meaning across the package: who speaks, how their voice arrives, what kind
of call it is."""

from __future__ import annotations

from typing import Literal, get_args

Speaker = Literal["reviewer", "clinician"]
"""Who said a line; None where a line's speaker is not known."""

SPEAKER_NAMES: dict[Speaker | None, str] = {
    "reviewer": "Reviewer",
    "clinician": "Clinician",
    None: "Speaker",
}

CallKind = Literal["live", "practice", "transcribed"]

VoiceChannel = Literal["clean", "phone", "speakerphone"]
"""How a voice reaches the microphone: straight in (full band), over a phone line (telephone
band, codec), or over a phone line and out of a loudspeaker into the room (mock/channel.py)."""

VOICE_CHANNELS: tuple[VoiceChannel, ...] = get_args(VoiceChannel)
