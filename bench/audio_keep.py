"""What keeping the call's audio costs: CPU per second of audio and bytes per minute, for the
FLAC the app writes (transcript/audio.py) and, to show why FLAC, Ogg Opus and Ogg Vorbis
written the same way. Also what a crash costs afterwards: finishing an unfinished file.

The audio is the two demo mock calls (flite voices with the pauses of a real call), fed in
the chunks a WavFileSource gives, with the writer's once-a-second fsync.

    python bench/audio_keep.py
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile
from common import REPO

from p2p_assist.audio.wav import WavFileSource
from p2p_assist.basics.audio_format import SAMPLE_RATE, seconds_of
from p2p_assist.transcript import audio_file
from p2p_assist.transcript.audio import CallAudio

CASES = ("demo-ra-biologic", "demo-teen-residential")


def chunks() -> list[bytes]:
    return [
        chunk
        for case in CASES
        for chunk in WavFileSource(REPO / "cases" / case / "mock-call.wav").chunks()
    ]


def keep_flac(pcm: list[bytes], folder: Path) -> tuple[float, int]:
    """CPU seconds and bytes for the app's own writer."""
    audio = CallAudio(keep=True)
    audio.move_to(folder, finish=False)
    started = time.process_time()
    for chunk in pcm:
        audio.append(0, chunk)
    audio.close()
    cpu = time.process_time() - started
    return cpu, sum(path.stat().st_size for path in audio_file.audio_files(folder))


def keep_ogg(pcm: list[bytes], path: Path, subtype: str) -> tuple[float, int]:
    started = time.process_time()
    with soundfile.SoundFile(path, "w", SAMPLE_RATE, 1, subtype, format="OGG") as out:
        for chunk in pcm:
            out.write(np.frombuffer(chunk, "<i2"))
    return time.process_time() - started, path.stat().st_size


def finish_cost(folder: Path) -> float:
    """CPU seconds to finish a copy of the FLAC as if a crash had left it unfinished."""
    unfinished = folder / "unfinished.flac"
    with soundfile.SoundFile(unfinished, "w", SAMPLE_RATE, 1, "PCM_16", format="FLAC") as out:
        for block in audio_file.samples(folder / "audio-0.flac"):
            out.write(block)
        shutil.copy(unfinished, folder / "killed.flac")  # copied before the header is written
    started = time.process_time()
    audio_file.finish_file(folder / "killed.flac")
    return time.process_time() - started


def main() -> None:
    pcm = chunks()
    seconds = sum(seconds_of(chunk) for chunk in pcm)
    print(f"audio: {seconds / 60:.1f} min in {len(pcm)} chunks (two demo mock calls)")
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        rows = [("FLAC (kept by the app)", *keep_flac(pcm, folder))]
        rows += [
            (f"Ogg {name} (for comparison)", *keep_ogg(pcm, folder / f"{name}.ogg", name))
            for name in ("OPUS", "VORBIS")
        ]
        for name, cpu, size in rows:
            print(
                f"{name:28} {cpu / seconds * 1000:6.2f} ms CPU per s of audio  "
                f"{size / (seconds / 60) / 1e6:5.2f} MB per minute"
            )
        finishing = finish_cost(folder)
        print(f"finishing a killed call's FLAC: {finishing / (seconds / 3600):.2f} s CPU per hour")
        middle = seconds / 2
        started = time.perf_counter()
        audio_file.read_pcm(folder / "audio-0.flac", middle, middle + 10)
        took = (time.perf_counter() - started) * 1000
        print(f"reading 10 s from the middle for review: {took:.1f} ms")


if __name__ == "__main__":
    main()
