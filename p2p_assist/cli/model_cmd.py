"""`p2p-assist model install|status`: get the Vosk model onto this machine and check it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from p2p_assist.recognition.models import Progress


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "model",
        help="install or inspect the Vosk speech model",
        description="Vosk needs a model folder; without one, pocketsphinx (less accurate) is used.",
    )
    actions = parser.add_subparsers(dest="model_action", metavar="ACTION", required=True)
    install = actions.add_parser(
        "install",
        help="install a model from a zip, a folder or a URL",
        description="Default: the small English model (Apache-2.0) from alphacephei.com.",
    )
    install.add_argument(
        "--from", dest="source", metavar="ZIP|DIR|URL", help="where to get the model"
    )
    install.add_argument(
        "--dest", metavar="DIR", type=Path, help="where to put it (default: the models folder)"
    )
    install.set_defaults(handler=_install)
    status = actions.add_parser("status", help="show which model would be used")
    status.add_argument("--model", metavar="DIR", type=Path, help="check this model folder")
    status.set_defaults(handler=_status)


def _install(args: argparse.Namespace) -> int:
    from p2p_assist.basics.locations import MODEL_ENV, models_dir
    from p2p_assist.recognition.models import DEFAULT_MODEL_URL, install_model

    source = args.source or DEFAULT_MODEL_URL
    progress = None
    if source.startswith(("http://", "https://")):
        print(f"Downloading {source}", file=sys.stderr)
        progress = _progress_printer() if sys.stderr.isatty() else None
    try:
        folder = install_model(source, args.dest, progress)
    finally:
        if progress:
            print(file=sys.stderr)  # end the progress line before any error or result
    print(f"Installed {folder}")
    if args.dest and args.dest.resolve() != models_dir().resolve():
        print(f"To use it, set {MODEL_ENV}={folder} or pass --model {folder}")
    return 0


def _status(args: argparse.Namespace) -> int:
    from p2p_assist.recognition.models import model_status

    status = model_status(args.model)
    for line in status.lines():
        print(line)
    return 0 if status.active else 1


def _progress_printer() -> Progress:
    def show(done: int, total: int | None) -> None:
        size = f"{done / 1e6:.1f} / {total / 1e6:.1f} MB" if total else f"{done / 1e6:.1f} MB"
        print(f"\r  {size}", end="", file=sys.stderr, flush=True)

    return show
