"""The `p2p-assist` command line: one `*_cmd` module per command group.

Command modules are found by name so a new group needs no edit here. Each must
keep heavy imports (engines, textual) inside its handlers so `--help` stays fast.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def _command_modules() -> list[ModuleType]:
    names = sorted(
        info.name for info in pkgutil.iter_modules(__path__) if info.name.endswith("_cmd")
    )
    return [importlib.import_module(f"{__name__}.{name}") for name in names]


COMMAND_MODULES = _command_modules()
