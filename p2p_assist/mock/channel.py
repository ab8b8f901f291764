"""How a voice reaches the microphone: straight in, over a phone line, or out of a speakerphone.

The real call is a speakerphone: the reviewer's voice crosses a phone network and comes out of a
loudspeaker into the clinician's room, while the clinician talks straight into the same
microphone. Recognition suffers mostly from the band limit (pocketsphinx's word error rate roughly
quadruples on telephone-band flite speech; room reverb costs far less), so mock calls render the
far side through the same chain, made with sox:

- `clean`: the voice as synthesised, full band (16 kHz sampling, up to 8 kHz).
- `phone`: the line alone, as a softphone or a handset recording hears it —
  `sinc 300-3400` (the telephone band), `compand` (the network's automatic level control: quiet
  syllables lifted, peaks held down), resampled to 8 kHz and encoded as 8-bit G.711 μ-law, then
  decoded back to 16 kHz (the codec's quantisation noise and the empty band above 4 kHz stay).
- `speakerphone`: `phone`, then a small loudspeaker (`equalizer` resonance near 2 kHz) into a
  room (`reverb`: moderate reverberance, some high-frequency damping, a small room), picked up by
  the same microphone as the near side.

Every output is scaled back to the input's peak level, so switching the channel changes what the
voice sounds like, not how loud it is. sox runs repeatable (`-R`) and without dither (`-D`): the
same input gives the same samples every time, so rendered calls and cached benchmarks are stable.
"""

from __future__ import annotations

import math
import shutil
import subprocess

import numpy as np
import numpy.typing as npt

from p2p_assist.basics.audio_format import SAMPLE_RATE
from p2p_assist.basics.errors import UserError
from p2p_assist.basics.vocabulary import VoiceChannel

Pcm = npt.NDArray[np.int16]

LINE_RATE = 8_000
"""The telephone network's sampling rate (G.711)."""
REVERB_TAIL_SECONDS = 0.4
"""How long the speakerphone's room rings on after the voice stops; pad a clip by this much
before `apply_channel` to keep the ring in the output."""

_RAW16 = ["-t", "raw", "-r", str(SAMPLE_RATE), "-e", "signed-integer", "-b", "16", "-c", "1"]
_MU_LAW = ["-t", "raw", "-r", str(LINE_RATE), "-e", "mu-law", "-b", "8", "-c", "1"]
_LINE_EFFECTS = [
    "sinc", "300-3400",
    # attack, decay; transfer points in dB (noise floor kept, speech pulled towards -20 dB).
    "compand", "0.01,0.25", "-70,-70,-50,-38,-30,-24,0,-10", "0", "-90", "0.01",
]  # fmt: skip
_ROOM_EFFECTS = [
    "equalizer", "2000", "1.2q", "4",
    # reverberance %, HF damping %, room scale %, stereo depth %, pre-delay ms, wet gain dB
    "reverb", "50", "50", "70", "100", "0", "-4",
]  # fmt: skip


def apply_channel(pcm: Pcm, channel: VoiceChannel) -> Pcm:
    """`pcm` (16 kHz mono int16) as the microphone hears it through `channel`.

    The result has the same length and timing as the input: speech starts and ends on the same
    samples. Pad the input with REVERB_TAIL_SECONDS of silence to keep the room's ring.
    """
    if channel == "clean" or not pcm.size:
        return pcm.copy()
    peak = int(np.abs(pcm.astype(np.int32)).max())
    if peak == 0:
        return pcm.copy()
    line = _sox(pcm.astype("<i2").tobytes(), _RAW16, _MU_LAW, _LINE_EFFECTS)
    level = ["gain", "-n", f"{20 * math.log10(peak / 32768):.2f}"]
    room = _ROOM_EFFECTS if channel == "speakerphone" else []
    heard = _sox(line, _MU_LAW, _RAW16, [*room, *level])
    out = np.frombuffer(heard, dtype="<i2").astype(np.int16)
    # Resampling can round the length by a sample or two either way.
    if len(out) >= len(pcm):
        return out[: len(pcm)].copy()
    return np.concatenate([out, np.zeros(len(pcm) - len(out), dtype=np.int16)])


def _sox(data: bytes, source: list[str], target: list[str], effects: list[str]) -> bytes:
    if shutil.which("sox") is None:
        raise UserError("a phone channel needs sox — install it with `apt-get install sox`")
    command = ["sox", "-R", "-D", "-V1", *source, "-", *target, "-", *effects]
    done = subprocess.run(command, input=data, capture_output=True, check=False)
    if done.returncode != 0:
        problem = done.stderr.decode(errors="replace").strip() or "no output"
        raise UserError(f"sox failed while applying a phone channel: {problem}")
    return done.stdout
