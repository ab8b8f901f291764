"""A virtual microphone for tests: a PulseAudio null sink whose monitor is the default input.

CI has no sound card (recipe: shared/recipes/virtual-microphone.md). Speech played into
the sink with paplay arrives, paced in real time, through the real sounddevice/PortAudio
path. PulseAudio is required, not optional: scripts/setup.sh installs it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ASOUNDRC = """pcm.!default { type pulse }
ctl.!default { type pulse }
pcm.clinician_mic { type pulse device "clinsink.monitor" }
pcm.call_audio_monitor { type pulse device "revsink.monitor" }
pcm.reviewer_speaker { type pulse device "revsink" }
"""


def refresh_portaudio() -> None:
    """PortAudio lists devices once, at initialisation; re-initialise to see the new server."""
    import sounddevice

    sounddevice._terminate()
    sounddevice._initialize()


class PulseServer:
    """A private PulseAudio server with null sinks; it can be stopped and started again
    mid-test, as a microphone is unplugged and plugged back in.

    `callsink` is the one virtual microphone (its monitor is the default input). For calls
    with the reviewer on a second input, `clinsink` and `revsink` are two more: ALSA pcms
    named `clinician_mic` and `call_audio_monitor` (in the test home's .asoundrc) capture
    their monitors, so PortAudio lists them as two inputs; `reviewer_speaker` plays into
    `revsink`, so what a rehearsal's reviewer says can be recorded apart from the microphone."""

    def __init__(self, runtime: Path) -> None:
        self.runtime = runtime
        self.pid: int | None = None

    def start(self) -> None:
        subprocess.run(
            [
                "pulseaudio", "-D", "--exit-idle-time=-1", "--disallow-exit", "--system=false",
                "-n", "--load=module-native-protocol-unix", "--load=module-cli-protocol-unix",
                "--load=module-null-sink sink_name=callsink",
                "--load=module-null-sink sink_name=clinsink",
                "--load=module-null-sink sink_name=revsink", "--load=module-always-sink",
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
        self.pid = int((self.runtime / "pulse" / "pid").read_text())
        subprocess.run(["pactl", "set-default-source", "callsink.monitor"], check=True)

    def stop(self) -> None:
        if self.pid is None:
            return
        os.kill(self.pid, signal.SIGTERM)
        for _ in range(50):
            if not Path(f"/proc/{self.pid}").exists():
                break
            time.sleep(0.1)
        self.pid = None


@pytest.fixture(scope="module")
def pulse_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulseServer]:
    for tool in ("pulseaudio", "pactl", "paplay"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is required (apt-get install pulseaudio pulseaudio-utils)")
    runtime = tmp_path_factory.mktemp("xdg")
    runtime.chmod(0o700)
    home = tmp_path_factory.mktemp("home")
    (home / ".asoundrc").write_text(ASOUNDRC)
    server = PulseServer(runtime)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("XDG_RUNTIME_DIR", str(runtime))
        env.setenv("HOME", str(home))
        env.delenv("PULSE_SERVER", raising=False)
        server.start()
        try:
            refresh_portaudio()
            yield server
        finally:
            server.stop()
    refresh_portaudio()


@pytest.fixture(scope="module")
def virtual_mic(pulse_server: PulseServer) -> None:
    """The virtual microphone is there for the whole module."""
