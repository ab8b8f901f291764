"""WavFileSource: any common WAV in, 16 kHz mono s16le chunks out, errors as one line."""

from __future__ import annotations

import shutil
import struct
import subprocess
import threading
import time
import tracemalloc
import wave
from pathlib import Path

import numpy as np
import pytest

from p2p_assist.audio.base import CHUNK_BYTES
from p2p_assist.audio.wav import WavFileSource
from p2p_assist.basics.errors import UserError

OUT_RATE = 16_000


@pytest.fixture(scope="module", autouse=True)
def _sox() -> None:
    if shutil.which("sox") is None:
        pytest.fail("sox is required to generate test WAVs (apt-get install sox)")


def sox_tone(
    path: Path,
    *,
    rate: int,
    bits: int = 16,
    encoding: str = "signed-integer",
    channels: int = 1,
    seconds: float = 1.0,
    freq: float = 1000.0,
    gain_db: float = -6.0,
) -> Path:
    """A sine tone written by sox in the requested format (sox picks EXTENSIBLE itself)."""
    fmt = ["-r", str(rate), "-b", str(bits), "-e", encoding, "-c", str(channels)]
    synth = ["synth", str(seconds), "sine", str(freq), "gain", str(gain_db)]
    subprocess.run(["sox", "-n", *fmt, str(path), *synth], check=True, capture_output=True)
    return path


def read_all(source: WavFileSource) -> np.ndarray:
    return np.frombuffer(b"".join(source.chunks()), dtype="<i2").astype(np.float64) / 32768


def peak_frequency(samples: np.ndarray, rate: int = OUT_RATE) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[np.argmax(spectrum)])


def rms_db(samples: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(samples**2)))


FORMATS = [
    # rate, bits, encoding, channels
    (8_000, 16, "signed-integer", 1),
    (11_025, 8, "unsigned-integer", 1),
    (16_000, 16, "signed-integer", 1),
    (22_050, 16, "signed-integer", 2),
    (44_100, 16, "signed-integer", 2),
    (44_100, 24, "signed-integer", 1),
    (48_000, 24, "signed-integer", 2),
    (48_000, 32, "signed-integer", 1),
    (48_000, 32, "floating-point", 2),
    (96_000, 64, "floating-point", 1),
    (32_000, 16, "signed-integer", 6),
]


@pytest.mark.parametrize(("rate", "bits", "encoding", "channels"), FORMATS)
def test_any_common_format_becomes_16k_mono_chunks_of_the_same_duration(
    tmp_path: Path, rate: int, bits: int, encoding: str, channels: int
) -> None:
    path = sox_tone(
        tmp_path / "in.wav",
        rate=rate,
        bits=bits,
        encoding=encoding,
        channels=channels,
        seconds=1.37,
    )
    source = WavFileSource(path)
    chunks = list(source.chunks())

    assert source.duration == pytest.approx(1.37, abs=1 / rate)
    assert all(len(chunk) == CHUNK_BYTES for chunk in chunks[:-1])
    assert 0 < len(chunks[-1]) <= CHUNK_BYTES
    out_seconds = sum(len(chunk) for chunk in chunks) / 2 / OUT_RATE
    assert out_seconds == pytest.approx(1.37, abs=0.003)


@pytest.mark.parametrize(
    ("rate", "freq"), [(8_000, 440.0), (22_050, 3_000.0), (44_100, 1_000.0), (48_000, 6_000.0)]
)
def test_a_tone_keeps_its_frequency_and_level_after_resampling(
    tmp_path: Path, rate: int, freq: float
) -> None:
    path = sox_tone(tmp_path / "tone.wav", rate=rate, channels=2, freq=freq, gain_db=-6.0)

    samples = read_all(WavFileSource(path))[800:-800]  # skip the filter's edges

    assert peak_frequency(samples) == pytest.approx(freq, abs=2.0)
    assert rms_db(samples) == pytest.approx(-6.0 - 3.01, abs=0.3)  # a sine's RMS is 3 dB down


def test_tones_above_8k_are_filtered_not_folded_into_the_speech_band(tmp_path: Path) -> None:
    # Dropping samples would fold 11 kHz down to 5 kHz at full strength.
    path = sox_tone(tmp_path / "high.wav", rate=48_000, freq=11_000.0, gain_db=0.0)

    samples = read_all(WavFileSource(path))[800:-800]

    assert rms_db(samples) < -60.0


def test_16k_mono_16_bit_passes_through_bit_exact(tmp_path: Path) -> None:
    path = sox_tone(tmp_path / "native.wav", rate=OUT_RATE, seconds=0.73)
    with wave.open(str(path)) as reader:
        original = reader.readframes(reader.getnframes())

    assert b"".join(WavFileSource(path).chunks()) == original


def test_extensible_headers_that_the_wave_module_rejects_are_read(tmp_path: Path) -> None:
    path = sox_tone(tmp_path / "ext.wav", rate=48_000, bits=24, channels=2)
    assert struct.unpack("<H", path.read_bytes()[20:22])[0] == 0xFFFE  # WAVE_FORMAT_EXTENSIBLE
    with pytest.raises(wave.Error), wave.open(str(path)):
        pass

    assert peak_frequency(read_all(WavFileSource(path))) == pytest.approx(1000.0, abs=2.0)


def test_long_files_stream_in_constant_memory(tmp_path: Path) -> None:
    path = sox_tone(tmp_path / "long.wav", rate=48_000, channels=2, seconds=120.0)  # 23 MB
    source = WavFileSource(path)

    tracemalloc.start()
    try:
        total = sum(len(chunk) for chunk in source.chunks())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert total == 120 * OUT_RATE * 2
    assert peak < 4_000_000


def test_progress_is_reported_every_second_and_at_the_end(tmp_path: Path) -> None:
    path = sox_tone(tmp_path / "five.wav", rate=44_100, seconds=5.0)
    calls: list[tuple[float, float]] = []

    list(WavFileSource(path, on_progress=lambda done, total: calls.append((done, total))).chunks())

    assert [round(done) for done, _ in calls] == [1, 2, 3, 4, 5, 5]
    assert all(total == pytest.approx(5.0) for _, total in calls)
    assert calls[-1] == pytest.approx((5.0, 5.0))


def test_paced_mode_yields_the_same_chunks_in_order(tmp_path: Path) -> None:
    path = sox_tone(tmp_path / "paced.wav", rate=22_050, seconds=1.0)

    paced = list(WavFileSource(path, paced=True, speed=20.0).chunks())

    assert paced == list(WavFileSource(path).chunks())


def test_close_stops_a_paced_source_that_is_waiting(tmp_path: Path) -> None:
    path = sox_tone(tmp_path / "slow.wav", rate=OUT_RATE, seconds=60.0)
    source = WavFileSource(path, paced=True)
    received: list[bytes] = []

    def consume() -> None:
        for chunk in source.chunks():
            received.append(chunk)
            if len(received) == 2:
                source.close()

    consumer = threading.Thread(target=consume)
    consumer.start()
    consumer.join(timeout=30)

    assert not consumer.is_alive()
    assert len(received) == 2


def test_close_from_another_thread_wakes_a_paced_wait(tmp_path: Path) -> None:
    path = sox_tone(tmp_path / "slow.wav", rate=OUT_RATE, seconds=60.0)
    source = WavFileSource(path, paced=True, speed=0.002)  # first chunk due after 50 s
    received: list[bytes] = []
    consumer = threading.Thread(target=lambda: received.extend(source.chunks()))
    consumer.start()
    time.sleep(0.2)  # let it reach the wait; closing earlier would pass too

    source.close()
    consumer.join(timeout=10)

    assert not consumer.is_alive()
    assert received == []


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def one_line_error(path: Path) -> str:
    with pytest.raises(UserError) as caught:
        WavFileSource(path)
    message = str(caught.value)
    assert "\n" not in message
    assert str(path) in message
    return message


def test_empty_file_is_one_line_error(tmp_path: Path) -> None:
    assert "empty" in one_line_error(write(tmp_path / "empty.wav", b""))


def test_non_wav_file_suggests_converting_with_sox(tmp_path: Path) -> None:
    message = one_line_error(write(tmp_path / "notes.wav", b"ID3\x03 this is an mp3, honest" * 4))
    assert "not a WAV" in message
    assert "sox" in message


def test_corrupt_header_is_one_line_error(tmp_path: Path) -> None:
    fmt = struct.pack("<HHIIHH", 1, 0, 0, 0, 0, 16)  # zero channels, zero rate
    data = b"RIFF" + struct.pack("<I", 36) + b"WAVEfmt " + struct.pack("<I", 16) + fmt
    assert "sox" in one_line_error(write(tmp_path / "corrupt.wav", data + b"data\0\0\0\0"))


def test_truncated_file_says_how_much_is_left_and_how_to_keep_it(tmp_path: Path) -> None:
    path = sox_tone(tmp_path / "cut.wav", rate=OUT_RATE, seconds=2.0)
    path.write_bytes(path.read_bytes()[: 44 + OUT_RATE * 2 // 2])  # keep 0.5 s of 2 s

    message = one_line_error(path)

    assert "truncated" in message
    assert "0.5 s" in message
    assert "--ignore-length" in message


def test_header_without_audio_is_one_line_error(tmp_path: Path) -> None:
    path = sox_tone(tmp_path / "short.wav", rate=OUT_RATE)
    path.write_bytes(path.read_bytes()[:36])  # RIFF and fmt only

    assert "no 'data'" in one_line_error(path)


def test_compressed_wav_names_its_encoding(tmp_path: Path) -> None:
    path = sox_tone(tmp_path / "ulaw.wav", rate=8_000, bits=8, encoding="u-law")

    assert "µ-law" in one_line_error(path)


def test_missing_file_is_one_line_error(tmp_path: Path) -> None:
    assert "no such file" in one_line_error(tmp_path / "absent.wav")
