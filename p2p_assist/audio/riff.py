"""Reading the layout of a WAV file from its RIFF chunks.

Python 3.11's `wave` module rejects float and WAVE_FORMAT_EXTENSIBLE files, which
sox, DAWs and phone recorders write for 24/32-bit or multichannel audio, so the
header is parsed here. Every problem becomes a one-line UserError with a fix.
"""

from __future__ import annotations

import os
import stat
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from p2p_assist.audio.pcm import Encoding
from p2p_assist.basics.errors import file_error

_PCM, _FLOAT, _EXTENSIBLE = 0x0001, 0x0003, 0xFFFE
# Bytes 2-15 of every standard KSDATAFORMAT_SUBTYPE GUID; bytes 0-1 hold the format tag.
_GUID_TAIL = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
_TAG_NAMES = {
    0x0002: "MS ADPCM",
    0x0006: "A-law",
    0x0007: "µ-law",
    0x0011: "IMA ADPCM",
    0x0031: "GSM 6.10",
    0x0055: "MP3",
}
_PCM_BY_WIDTH = {1: Encoding.U8, 2: Encoding.S16, 3: Encoding.S24, 4: Encoding.S32}
_FLOAT_BY_WIDTH = {4: Encoding.F32, 8: Encoding.F64}
_MIN_RATE, _MAX_RATE = 1_000, 768_000


@dataclass(frozen=True, slots=True)
class WavLayout:
    """Where the samples are and how they are encoded."""

    rate: int
    channels: int
    encoding: Encoding
    data_offset: int
    data_bytes: int

    @property
    def frame_bytes(self) -> int:
        return self.channels * self.encoding.width

    @property
    def frames(self) -> int:
        return self.data_bytes // self.frame_bytes

    @property
    def duration(self) -> float:
        return self.frames / self.rate


def convert_fix(path: Path) -> str:
    return f"convert it with `sox '{path}' -r 16000 -c 1 -b 16 fixed.wav`"


def read_layout(path: Path) -> WavLayout:
    """Parse the header of `path`, raising UserError if it is not a usable WAV file."""
    try:
        # Opening a pipe or a device blocks until something writes to it: look before opening.
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
            raise file_error(
                path,
                "is not a regular file (a pipe, socket or device)",
                "save the recording to a .wav file and give that",
            )
        with path.open("rb") as handle:
            return _parse(path, handle, os.fstat(handle.fileno()).st_size)
    except FileNotFoundError:
        raise file_error(path, "no such file", "check the path") from None
    except IsADirectoryError:
        raise file_error(
            path, "is a directory, not a WAV file", "give the path of a .wav file"
        ) from None
    except PermissionError:
        raise file_error(
            path, "cannot be read (permission denied)", "check its permissions"
        ) from None
    except OSError as error:
        raise file_error(path, f"cannot be read ({error.strerror})", "check the disk") from None


def _parse(path: Path, handle: BinaryIO, size: int) -> WavLayout:
    head = handle.read(12)
    if not head:
        raise file_error(path, "file is empty", "record or export the audio again")
    if head[:4] in (b"RIFX", b"RF64") and head[8:12] == b"WAVE":
        raise file_error(
            path, f"{head[:4].decode()} WAV files are not supported", convert_fix(path)
        )
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise file_error(path, "not a WAV file (no RIFF/WAVE header)", convert_fix(path))
    fmt: tuple[int, int, Encoding] | None = None
    data: tuple[int, int] | None = None
    while fmt is None or data is None:
        header = handle.read(8)
        if len(header) < 8:
            break
        chunk_id, chunk_size = header[:4], struct.unpack("<I", header[4:])[0]
        body_start = handle.tell()
        if chunk_id == b"fmt ":
            fmt = _parse_fmt(path, handle.read(min(chunk_size, 40)))
        elif chunk_id == b"data":
            data = (body_start, chunk_size)
        # Chunks are word aligned: an odd-sized chunk is followed by a pad byte.
        handle.seek(body_start + chunk_size + (chunk_size & 1))
    return _layout(path, fmt, data, size)


def _layout(
    path: Path, fmt: tuple[int, int, Encoding] | None, data: tuple[int, int] | None, size: int
) -> WavLayout:
    if fmt is None:
        raise file_error(path, "WAV header has no 'fmt ' chunk (damaged file)", convert_fix(path))
    if data is None:
        raise file_error(
            path, "WAV file has no 'data' chunk (no audio)", "record or export it again"
        )
    rate, channels, encoding = fmt
    offset, declared = data
    layout = WavLayout(
        rate, channels, encoding, offset, declared - declared % (channels * encoding.width)
    )
    if layout.frames == 0:
        raise file_error(path, "WAV file contains no audio", "record or export it again")
    available = size - offset
    if declared > available:
        have = available / layout.frame_bytes / rate
        raise file_error(
            path,
            f"truncated: header promises {layout.duration:.1f} s, file holds {have:.1f} s",
            f"re-export it, or keep what is there with `sox --ignore-length '{path}' fixed.wav`",
        )
    return layout


def _parse_fmt(path: Path, body: bytes) -> tuple[int, int, Encoding]:
    if len(body) < 16:
        raise file_error(path, "WAV 'fmt ' chunk is too short (damaged file)", convert_fix(path))
    tag, channels, rate, _, block_align, bits = struct.unpack("<HHIIHH", body[:16])
    if tag == _EXTENSIBLE and len(body) >= 40:
        subformat = body[24:40]
        tag = struct.unpack("<H", subformat[:2])[0] if subformat[2:] == _GUID_TAIL else -1
    if channels < 1 or not _MIN_RATE <= rate <= _MAX_RATE:
        raise file_error(
            path, f"implausible header ({channels} channels at {rate} Hz)", convert_fix(path)
        )
    # The container width, not the bit depth, says how samples are stored (20-bit in 3 bytes).
    width = block_align // channels
    if block_align != width * channels or width < (bits + 7) // 8:
        raise file_error(path, "inconsistent WAV header (block size)", convert_fix(path))
    encodings = {_PCM: _PCM_BY_WIDTH, _FLOAT: _FLOAT_BY_WIDTH}.get(tag, {})
    encoding = encodings.get(width)
    if encoding is None:
        what = _TAG_NAMES.get(tag, f"format tag {tag:#06x}" if tag >= 0 else "unknown format")
        raise file_error(path, f"unsupported WAV encoding ({what}, {bits}-bit)", convert_fix(path))
    return rate, channels, encoding
