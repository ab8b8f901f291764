"""The clinician's voice profile: the cues of their voice, never the audio.

Made from a short passage read aloud (`voice enroll`, about 20 s) or from a recording
(`--voice-sample FILE.wav`): the recording is cut into pieces of PIECE_SECONDS, each piece's
cues (the channel cues and the mean cepstrum, cues.py) are measured, and the profile keeps
their mean and spread — the clinician's side model from the call's first line on. It is kept
owner-only in the per-user data folder: a voiceprint is personal data even without the audio.

A recording that cannot make a useful profile (silent, too little speech, clipped) is refused
with one line; the caller then goes on without a profile, on the channel cues alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from p2p_assist.audio.wav import WavFileSource
from p2p_assist.basics.audio_format import BYTES_PER_SECOND
from p2p_assist.basics.durable import ensure_private_dirs, write_atomic
from p2p_assist.basics.errors import UserError, file_error
from p2p_assist.basics.locations import user_data_dir
from p2p_assist.voice.attribution import SideModel
from p2p_assist.voice.cues import CEPSTRA, FrameCues

PROFILE_VERSION = 1
PIECE_SECONDS = 2.0
MIN_PIECES = 4  # about 8 s of speech: fewer gives a spread that means nothing
CLIPPED_SHARE = 0.001  # samples at full scale: more than 1 in 1000 and the cues are distorted
_FULL_SCALE = 32_700
_SIZE = 2 + CEPSTRA  # high_db, low_db, c1..c12
_RECORD_AGAIN = "record it again: about 20 s of your own voice, at a normal level"


@dataclass(frozen=True, slots=True)
class VoiceProfile:
    mean: tuple[float, ...]
    spread: tuple[float, ...]
    speech_seconds: float

    def side_model(self) -> SideModel:
        return SideModel(np.array(self.mean), np.array(self.spread))


def default_profile_path() -> Path:
    return user_data_dir() / "voice" / "profile.json"


def profile_from_pcm(pcm: bytes, source: Path | str) -> VoiceProfile:
    """The profile of a recording (16 kHz mono s16le); UserError naming `source` if the
    recording cannot make one."""
    samples = np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype="<i2")
    loud = np.abs(samples.astype(np.int32)) >= _FULL_SCALE
    if samples.size and loud.mean() > CLIPPED_SHARE:
        raise file_error(
            source,
            f"clipped ({loud.mean():.1%} of samples at full scale)",
            "record it again with the input level turned down",
        )
    frames = FrameCues()
    frames.feed(pcm)
    seconds = len(pcm) / BYTES_PER_SECOND
    starts = np.arange(0.0, max(seconds - PIECE_SECONDS / 2, 0.0), PIECE_SECONDS)
    pieces = [frames.cues(start, start + PIECE_SECONDS) for start in starts]
    vectors = [piece.vector() for piece in pieces if piece is not None]
    if not vectors:
        raise file_error(source, "no speech in it (silent or too quiet)", _RECORD_AGAIN)
    if len(vectors) < MIN_PIECES:
        heard = sum(piece.speech_seconds for piece in pieces if piece is not None)
        raise file_error(source, f"too short: {heard:.0f} s of speech", _RECORD_AGAIN)
    stacked = np.array(vectors)
    return VoiceProfile(
        mean=tuple(float(v) for v in stacked.mean(axis=0)),
        spread=tuple(float(v) for v in stacked.std(axis=0)),
        speech_seconds=round(sum(p.speech_seconds for p in pieces if p is not None), 1),
    )


def save_profile(profile: VoiceProfile, path: Path | None = None) -> Path:
    """Write the profile owner-only (0600 in a 0700 folder), replacing any before it."""
    path = path or default_profile_path()
    data = {
        "version": PROFILE_VERSION,
        "mean": profile.mean,
        "spread": profile.spread,
        "speech_seconds": profile.speech_seconds,
    }
    try:
        ensure_private_dirs(path.parent)
        write_atomic(path, (json.dumps(data, indent=1) + "\n").encode())
    except OSError as error:
        raise file_error(
            path,
            f"cannot be written ({error.strerror or error})",
            "check the folder's permissions and the free space",
        ) from None
    return path


def load_profile(path: Path | None = None) -> VoiceProfile | None:
    """The stored profile; None when there is none. UserError when it is unreadable or
    damaged (the caller reports it and goes on without)."""
    path = path or default_profile_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise file_error(path, f"damaged voice profile ({error})", _ENROLL_AGAIN) from None
    try:
        mean = tuple(float(v) for v in data["mean"])
        spread = tuple(float(v) for v in data["spread"])
        seconds = float(data["speech_seconds"])
        version = data["version"]
    except (KeyError, TypeError, ValueError) as error:
        raise file_error(path, f"damaged voice profile ({error!r})", _ENROLL_AGAIN) from None
    if version != PROFILE_VERSION:
        raise file_error(path, f"voice profile version {version!r}", _ENROLL_AGAIN)
    if len(mean) != _SIZE or len(spread) != _SIZE or not np.all(np.isfinite([*mean, *spread])):
        raise file_error(path, "damaged voice profile (wrong values)", _ENROLL_AGAIN)
    return VoiceProfile(mean, spread, seconds)


_ENROLL_AGAIN = "enrol again with `p2p-assist voice enroll`"


def profile_from_wav(path: Path) -> VoiceProfile:
    """The profile of a recording; any WAV the pipeline reads will do (it is converted)."""
    source = WavFileSource(path)
    return profile_from_pcm(b"".join(source.chunks()), path)


def clinician_voice(sample: Path | None) -> tuple[SideModel | None, str | None]:
    """The clinician's side model for a call — from `sample` (--voice-sample) if given, else
    from the stored profile, else none — and the one line to show when one was wanted but
    could not be had (the call then labels by the channel cues alone)."""
    try:
        profile = profile_from_wav(sample) if sample is not None else load_profile()
    except UserError as error:
        return None, f"{error}; speakers are told apart by the sound of the line alone"
    return (profile.side_model() if profile is not None else None), None
