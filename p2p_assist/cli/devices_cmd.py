"""`p2p-assist devices`: the audio inputs PortAudio can see, to pick one for --device."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    devices = subparsers.add_parser("devices", help="list audio input devices (* = default)")
    devices.set_defaults(handler=_list)


def _list(args: argparse.Namespace) -> int:
    from p2p_assist.audio.devices import NO_INPUTS_FIX, list_input_devices
    from p2p_assist.basics.errors import UserError

    devices = list_input_devices()
    if not devices:
        raise UserError(f"no audio input devices found — {NO_INPUTS_FIX}")
    for device in devices:
        print(device.describe())
    return 0
