"""Finding audio input devices through PortAudio (sounddevice).

sounddevice loads the PortAudio C library when it is imported, so it is imported
here, on demand, and a missing library becomes a one-line fix rather than an
OSError at start-up for users who only ever work from WAV files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import ModuleType
from typing import Any, cast

from p2p_assist.basics.errors import UserError

# Names loopback and monitor inputs go by: PulseAudio/PipeWire monitors, macOS BlackHole and
# Loopback, Windows Stereo Mix and VB-Audio's CABLE Output, and ALSA pcms named for the job.
_CALL_AUDIO = re.compile(
    r"monitor|loopback|blackhole|stereo mix|what u hear|cable output|soundflower|call audio",
    re.IGNORECASE,
)

NO_INPUTS_FIX = "connect a microphone, or check that PulseAudio/PipeWire is running (`pactl info`)"


@dataclass(frozen=True, slots=True)
class InputDevice:
    index: int
    name: str
    default_rate: int
    channels: int
    is_default: bool

    @property
    def carries_call_audio(self) -> bool:
        """A monitor or loopback input: what the computer plays (a softphone's far side),
        not a microphone — the input for `call --reviewer-device`."""
        return bool(_CALL_AUDIO.search(self.name))

    def describe(self) -> str:
        marker = "*" if self.is_default else " "
        line = (
            f"{marker} {self.index:>3}  {self.name}  ({self.default_rate} Hz, {self.channels} ch)"
        )
        return line + ("  ← call audio (--reviewer-device)" if self.carries_call_audio else "")


def import_sounddevice() -> ModuleType:
    try:
        import sounddevice
    except OSError:
        raise UserError(
            "audio input needs the PortAudio library, which was not found — "
            "install it (Debian/Ubuntu: `apt-get install libportaudio2`)"
        ) from None
    except ImportError:
        raise UserError("audio input needs sounddevice — `pip install sounddevice`") from None
    return cast(ModuleType, sounddevice)


def list_input_devices() -> list[InputDevice]:
    """Every device with at least one input channel, in PortAudio's order."""
    sd = import_sounddevice()
    try:
        infos: list[dict[str, Any]] = list(sd.query_devices())
    except sd.PortAudioError as error:
        raise UserError(f"cannot list audio devices ({error}) — {NO_INPUTS_FIX}") from None
    default = _default_input_index(sd)
    return [
        InputDevice(
            index=int(info["index"]),
            name=str(info["name"]),
            default_rate=round(info["default_samplerate"]),
            channels=int(info["max_input_channels"]),
            is_default=info["index"] == default,
        )
        for info in infos
        if info["max_input_channels"] > 0
    ]


def find_input_device(wanted: int | str | None) -> InputDevice:
    """The default input, or the one with this index or (case-insensitive) name fragment."""
    devices = list_input_devices()
    if not devices:
        raise UserError(f"no audio input devices found — {NO_INPUTS_FIX}")
    if wanted is None:
        return _only([d for d in devices if d.is_default], "default input", devices)
    if isinstance(wanted, int) or wanted.strip().isdigit():
        index = int(wanted)
        return _only([d for d in devices if d.index == index], f"input {index}", devices)
    fragment = wanted.strip().lower()
    matches = [d for d in devices if fragment in d.name.lower()]
    exact = [d for d in matches if d.name.lower() == fragment]
    return _only(exact or matches, f"input '{wanted}'", devices)


def _only(matches: list[InputDevice], what: str, devices: list[InputDevice]) -> InputDevice:
    if len(matches) == 1:
        return matches[0]
    listing = ", ".join(f"{d.index} '{d.name}'" for d in (matches or devices))
    if matches:
        raise UserError(f"{what} is ambiguous: matches {listing} — give the index instead")
    raise UserError(f"{what} not found — choose one of: {listing} (see `p2p-assist devices`)")


def _default_input_index(sd: Any) -> int:
    try:
        return int(sd.query_devices(kind="input")["index"])
    except sd.PortAudioError:
        return -1  # PortAudio reports "no default input" as an error
