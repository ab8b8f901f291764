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


def refresh_portaudio() -> None:
    """PortAudio lists devices once, at initialisation; re-initialise to see the new server."""
    import sounddevice

    sounddevice._terminate()
    sounddevice._initialize()


@pytest.fixture(scope="module")
def virtual_mic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    for tool in ("pulseaudio", "pactl", "paplay"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is required (apt-get install pulseaudio pulseaudio-utils)")
    runtime = tmp_path_factory.mktemp("xdg")
    runtime.chmod(0o700)
    home = tmp_path_factory.mktemp("home")
    (home / ".asoundrc").write_text("pcm.!default { type pulse }\nctl.!default { type pulse }\n")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("XDG_RUNTIME_DIR", str(runtime))
        env.setenv("HOME", str(home))
        env.delenv("PULSE_SERVER", raising=False)
        subprocess.run(
            [
                "pulseaudio", "-D", "--exit-idle-time=-1", "--disallow-exit", "--system=false",
                "-n", "--load=module-native-protocol-unix",
                "--load=module-null-sink sink_name=callsink", "--load=module-always-sink",
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
        pid = int((runtime / "pulse" / "pid").read_text())
        try:
            subprocess.run(["pactl", "set-default-source", "callsink.monitor"], check=True)
            refresh_portaudio()
            yield
        finally:
            os.kill(pid, signal.SIGTERM)
            for _ in range(50):
                if not Path(f"/proc/{pid}").exists():
                    break
                time.sleep(0.1)
    refresh_portaudio()
