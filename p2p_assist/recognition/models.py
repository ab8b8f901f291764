"""Finding, checking and installing the Vosk model.

Vosk needs a model folder on disk, fetched once; it is the first thing a new
user trips over, often on a machine without internet. So every failure here is
one line naming the path and the fix, and an install never leaves a half-written
model where the next run would pick it up.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from p2p_assist.basics.errors import UserError, file_error
from p2p_assist.basics.locations import MODEL_ENV, models_dir

if TYPE_CHECKING:
    from vosk import Model

DEFAULT_MODEL_URL = "https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip"
INSTALL_FIX = "run `p2p-assist model install` (offline: `p2p-assist model install --from FILE.zip`)"
OFFLINE_FIX = "fetch the zip on another machine and run `p2p-assist model install --from FILE.zip`"
_DOWNLOAD_TIMEOUT_SECONDS = 30
_ZIP_FIX = "give a model .zip from https://alphacephei.com/vosk/models"
_STAGING_PREFIX = ".installing-"  # hidden, so find_model never picks a half-installed model

Progress = Callable[[int, int | None], None]  # bytes so far, total bytes if known

MAX_UNPACKED_BYTES = 8 * 10**9
"""The largest published Vosk models unpack to about 4 GB; twice that is room enough."""
MAX_RATIO = 20
"""Vosk models (binary FSTs and acoustic models) compress about 1.3:1 to 3:1 as zips."""
MIN_RATIO_CHECK_BYTES = 10**6
"""A tiny archive (a test model, a text-only folder) may compress well and harms nothing."""


@dataclass(frozen=True, slots=True)
class LocatedModel:
    path: Path
    origin: str  # which setting chose it, for status lines and notices


@dataclass(frozen=True, slots=True)
class ModelStatus:
    active: LocatedModel | None
    problem: str | None  # why the configured model cannot be used
    models_folder: Path
    folders: tuple[tuple[Path, str | None], ...]  # its entries and what is wrong with each

    def lines(self) -> list[str]:
        if self.problem:
            head = f"Vosk model: unusable — {self.problem}"
        elif self.active:
            head = f"Vosk model: {self.active.path} (from {self.active.origin})"
        else:
            head = f"Vosk model: none — pocketsphinx will be used; {INSTALL_FIX}"
        if not self.folders:
            return [head, f"Models folder {self.models_folder}: no model folders"]
        listing = [f"  {path.name}: {problem or 'ok'}" for path, problem in self.folders]
        return [head, f"Models folder {self.models_folder}:", *listing]


def layout_problem(folder: Path) -> str | None:
    """What stops `folder` being a Vosk model, or None when its layout is complete."""
    if not folder.is_dir():
        return "no such folder" if not folder.exists() else "not a folder"
    missing = []
    if not (folder / "am" / "final.mdl").is_file():
        missing.append("am/final.mdl")
    if not any((folder / "conf" / name).is_file() for name in ("mfcc.conf", "model.conf")):
        missing.append("conf/mfcc.conf or conf/model.conf")
    graph = folder / "graph"
    if not (
        (graph / "HCLG.fst").is_file()
        or ((graph / "HCLr.fst").is_file() and (graph / "Gr.fst").is_file())
    ):
        missing.append("graph/HCLG.fst (or graph/HCLr.fst + graph/Gr.fst)")
    return f"not a Vosk model: missing {', '.join(missing)}" if missing else None


def find_model(explicit: Path | None = None) -> LocatedModel | None:
    """The model to use: --model, then $P2P_ASSIST_VOSK_MODEL, then the models folder.

    A model the user named that is broken is an error, not a silent fallback:
    they would otherwise wonder why recognition got worse.
    """
    if explicit is not None:
        return LocatedModel(_checked(explicit, "--model"), "--model")
    if env := os.environ.get(MODEL_ENV):
        return LocatedModel(_checked(Path(env), f"${MODEL_ENV}"), f"${MODEL_ENV}")
    for folder, problem in _models_folder_entries():
        if problem is None:
            return LocatedModel(folder, "models folder")
    return None


def no_model_error() -> UserError:
    """For when Vosk was asked for by name and nothing was found."""
    return file_error(
        models_dir(), f"no Vosk model here, in --model or in ${MODEL_ENV}", INSTALL_FIX
    )


def model_status(explicit: Path | None = None) -> ModelStatus:
    try:
        active, problem = find_model(explicit), None
    except UserError as error:
        active, problem = None, str(error)
    return ModelStatus(active, problem, models_dir(), tuple(_models_folder_entries()))


def load_model(folder: Path) -> Model:
    """Load a model with Vosk, as a UserError (not a Kaldi trace) when it cannot."""
    import vosk  # loads libvosk; kept out of `model status` and --help

    _checked(folder)
    vosk.SetLogLevel(-1)  # Kaldi logs every file it reads to stderr
    try:
        return vosk.Model(str(folder))
    except Exception as error:  # vosk raises a bare Exception("Failed to create a model")
        raise file_error(folder, "Vosk could not load this model", INSTALL_FIX) from error


def install_model(
    source: str | None, dest: Path | None = None, progress: Progress | None = None
) -> Path:
    """Install a model from a .zip, an unpacked folder or a URL into `dest`; return its folder.

    The model is unpacked and loaded in a staging folder inside `dest` first, so a
    bad archive or a dropped download leaves any existing model untouched.
    """
    source = source or DEFAULT_MODEL_URL
    dest = dest or models_dir()
    try:
        dest.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=_STAGING_PREFIX, dir=dest) as staging_name:
            staging = Path(staging_name)
            root = _stage(source, staging, progress)
            try:
                load_model(root)
            except UserError as error:  # it names the staging folder, which is about to vanish
                raise file_error(source, "Vosk could not load the model in it", _ZIP_FIX) from error
            return _move_into_place(root, dest / root.name, staging)
    except OSError as error:
        raise file_error(
            dest,
            f"install failed ({error.strerror or error})",
            "check the source is readable, free disk space, or pick another --dest",
        ) from error


def _checked(folder: Path, field: str | None = None) -> Path:
    problem = layout_problem(folder)
    if problem:
        raise file_error(
            folder, problem, f"point it at an unpacked model folder or {INSTALL_FIX}", field
        )
    return folder


def _models_folder_entries() -> list[tuple[Path, str | None]]:
    root = models_dir()
    if not root.is_dir():
        return []
    return [
        (entry, layout_problem(entry))
        for entry in sorted(root.iterdir())
        if entry.is_dir() and not entry.name.startswith(".")
    ]


def _stage(source: str, staging: Path, progress: Progress | None) -> Path:
    """Get the model from `source` into `staging`, checked; return its folder there."""
    if source.startswith(("http://", "https://")):
        archive = staging / (PurePosixPath(source.split("?")[0]).name or "model.zip")
        _download(source, archive, progress)
        return _unpack(archive, staging / _stem(archive.name), source)
    path = Path(source).expanduser()
    if path.is_dir():
        copy = staging / path.resolve().name
        shutil.copytree(_checked(path, "--from"), copy)
        return copy
    if path.is_file():
        return _unpack(path, staging / _stem(path.name), str(path))
    raise file_error(
        path, "no such file or folder", "give a model .zip, an unpacked model folder or a URL"
    )


def _stem(archive_name: str) -> str:
    return archive_name.removesuffix(".zip") or "vosk-model"


def _download(url: str, archive: Path, progress: Progress | None) -> None:
    import http.client  # kept out of --help's import time
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=_DOWNLOAD_TIMEOUT_SECONDS) as response:
            total = int(response.headers.get("Content-Length") or 0) or None
            done = 0
            with archive.open("wb") as out:
                while block := response.read(1 << 20):
                    out.write(block)
                    done += len(block)
                    if progress:
                        progress(done, total)
    except (
        urllib.error.URLError,
        http.client.HTTPException,
        TimeoutError,
        ConnectionError,
    ) as error:
        reason = getattr(error, "reason", None) or error
        raise file_error(url, f"download failed ({reason})", OFFLINE_FIX) from error
    except ValueError as error:  # urllib's word for a malformed URL ("Invalid IPv6 URL")
        raise file_error(url, f"not a valid URL ({error})", "check the address") from None


def _unpack(archive: Path, into: Path, label: str) -> Path:
    try:
        with zipfile.ZipFile(archive) as zipped:
            unsafe = [name for name in zipped.namelist() if not _safe_member(name)]
            if unsafe:
                raise file_error(label, f"unsafe path in archive: {unsafe[0]!r}", _ZIP_FIX)
            _refuse_bomb(zipped, label)
            into.mkdir()  # an empty archive creates nothing, and _model_root looks inside
            zipped.extractall(into)
    except zipfile.BadZipFile as error:
        fix = OFFLINE_FIX if label.startswith(("http://", "https://")) else _ZIP_FIX
        raise file_error(label, "not a zip archive", fix) from error
    return _model_root(into, label)


def _refuse_bomb(zipped: zipfile.ZipFile, label: str) -> None:
    """Refuse an archive that would unpack to more than any model, or that is compressed far
    more than a model ever is (a zip bomb fills the disk from a small download). The sizes in
    the archive's directory are what extraction honours: zipfile stops each member at its
    declared size, so they cannot be lied about."""
    members = zipped.infolist()
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise file_error(
            label,
            f"would unpack to {unpacked / 1e9:.1f} GB, more than any Vosk model "
            f"({MAX_UNPACKED_BYTES / 1e9:.0f} GB at most)",
            _ZIP_FIX,
        )
    if unpacked > MAX_RATIO * max(packed, 1) and unpacked > MIN_RATIO_CHECK_BYTES:
        raise file_error(
            label,
            f"compressed {unpacked // max(packed, 1)}:1, which no model is (a zip bomb?)",
            _ZIP_FIX,
        )


def _safe_member(name: str) -> bool:
    """Relative, inside the archive, no drive letters: nothing lands outside the staging folder."""
    path = PurePosixPath(name.replace("\\", "/"))
    return not path.is_absolute() and ".." not in path.parts and ":" not in name


def _model_root(unpacked: Path, label: str) -> Path:
    """Archives hold the model at the top or, as published, inside one folder."""
    if layout_problem(unpacked) is None:
        return unpacked
    folders = [entry for entry in unpacked.iterdir() if entry.is_dir() and entry.name != "__MACOSX"]
    if len(folders) == 1:
        problem = layout_problem(folders[0])
        if problem is None:
            return folders[0]
        raise file_error(label, f"{folders[0].name}/ is {problem}", _ZIP_FIX)
    raise file_error(label, "no Vosk model inside (am/, conf/, graph/)", _ZIP_FIX)


def _move_into_place(root: Path, target: Path, staging: Path) -> Path:
    """Replace `target` with `root`; the old model goes to staging and is deleted with it."""
    if target.exists():
        target.rename(staging / ".replaced")
    root.rename(target)
    return target
