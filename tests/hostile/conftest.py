"""The hostile suite's tools: the CLI run in-process, real case folders, a full disk, a user
without root's pass over file modes.

Every test here feeds the program something a user, a crash or a broken machine could hand it
and checks what the user needs back: one line naming the thing and the fix (never a traceback),
a non-zero exit, nothing lost, nothing written outside the cases folder.

Each module carries one kind (`bad_input`, `fault` or `security`) so the suite can be counted:
`pytest tests/hostile -m fault --collect-only -q`.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import io
import os
import pkgutil
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from demo_cases import demo_file
from hypothesis import HealthCheck, settings

from p2p_assist.basics import durable
from p2p_assist.cli.main import main

REPO = Path(__file__).resolve().parents[2]
CASE = "demo-ra-biologic"
OTHER_CASE = "demo-teen-residential"

# No deadline: a slow shared machine must not fail a property (the suite asserts no timings).
settings.register_profile(
    "hostile",
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile("hostile")


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str


Cli = Callable[..., Ran]


def _exit_code(code: object) -> int:
    return code if isinstance(code, int) else (0 if code is None else 2)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """p2p-assist ARGS in this process; stdin is the bytes given (empty by default)."""

    def run(*argv: str | Path, stdin: bytes = b"") -> Ran:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
        try:
            code = main([str(arg) for arg in argv])
        except SystemExit as stop:  # argparse rejects an argument this way
            code = _exit_code(stop.code)
        out, err = capsys.readouterr()
        return Ran(code, out, err)

    return run


def one_line_error(ran: Ran, *names: str) -> None:
    """What every refusal looks like: a non-zero exit, no traceback, one line on stderr that
    names each of `names` and carries a fix after the dash (argparse's own refusals: its usage,
    then one `p2p-assist …: error:` line)."""
    assert ran.code != 0, ran
    no_traceback(ran)
    # The program's own lines; a status line before the refusal ("Downloading …") is fine.
    lines = [line for line in ran.err.splitlines() if line.startswith("p2p-assist")]
    assert len(lines) == 1, ran.err
    assert " — " in lines[0] or ": error: " in lines[0], lines[0]
    for name in names:
        assert name in lines[0], (name, lines[0])


def no_traceback(ran: Ran) -> None:
    assert "Traceback" not in ran.err, ran.err


# --- case folders ------------------------------------------------------------------------------


def copy_cases(root: Path, *case_ids: str) -> Path:
    """A cases folder with the demo cases' case.toml and mock-call.toml (not the recordings)."""
    cases = root / "cases"
    for case_id in case_ids or (CASE,):
        (cases / case_id).mkdir(parents=True)
        for name in ("case.toml", "mock-call.toml"):
            shutil.copy(demo_file(case_id, name), cases / case_id / name)
    return cases


def edit_case(cases: Path, case_id: str, pattern: str, replacement: str) -> Path:
    """Change the first line of case.toml matching `pattern` (a regex) to `replacement`."""
    path = cases / case_id / "case.toml"
    text, count = re.subn(pattern, replacement, path.read_text(), count=1, flags=re.MULTILINE)
    assert count == 1, pattern
    path.write_text(text)
    return path


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    return copy_cases(tmp_path, CASE, OTHER_CASE)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` and its bytes: compare before and after to prove nothing was
    lost or left behind."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


# --- a full disk -------------------------------------------------------------------------------


def _fill(folder: Path) -> None:
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for block in (65536, 512):  # big blocks, then the last few bytes
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * block)
    finally:
        os.close(fd)


@contextlib.contextmanager
def tmpfs(size: str = "512k") -> Iterator[Path]:
    """A real small file system (root only; skipped where mounting is not allowed)."""
    point = Path(tempfile.mkdtemp(prefix="p2p-tmpfs-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        point.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)
        point.rmdir()


@dataclass(frozen=True)
class Disk:
    """A folder on a disk that `fill()` makes full from then on."""

    folder: Path
    fill: Callable[[], None]


@pytest.fixture(params=["tmpfs", "injected"])
def full_disk(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Disk]:
    """A real tmpfs that fill() writes to the last byte, or (where mounting is not allowed, and
    always as a second run) a folder where fill() injects ENOSPC at the durable-write layer
    that every file p2p-assist keeps goes through."""
    if request.param == "tmpfs":
        with tmpfs() as point:
            yield Disk(point, lambda: _fill(point))
        return
    folder = tmp_path / "full"
    folder.mkdir()
    write_all = durable.write_all

    def no_space(fd: int, data: bytes) -> None:
        """Only files on this "disk" fail; other folders (a fallback) still have room."""
        if Path(os.readlink(f"/proc/self/fd/{fd}")).is_relative_to(folder):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        write_all(fd, data)

    yield Disk(folder, lambda: monkeypatch.setattr(durable, "write_all", no_space))


def leftovers(folder: Path) -> list[str]:
    """Temporary or partial files a failed write left behind."""
    return [
        path.name
        for path in folder.rglob("*")
        if path.name.endswith((".tmp", ".partial")) or path.name.startswith(".installing-")
    ]


# --- a user without root's pass over file modes -----------------------------------------------


@pytest.fixture
def open_tmp() -> Iterator[Path]:
    """A temporary folder another user can enter (pytest's own is root's, 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="p2p-hostile-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:
            with contextlib.suppress(OSError):
                if path.is_dir() and not path.is_symlink():
                    path.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


def _preload() -> None:
    """Import every headless module (and the few stdlib ones they import late) while we can
    read them all: the interpreter may live under /root, which `nobody` cannot enter."""
    import http.client  # noqa: F401
    import urllib.request  # noqa: F401

    import p2p_assist

    for module in pkgutil.walk_packages(p2p_assist.__path__, "p2p_assist."):
        if not module.name.startswith(("p2p_assist.ui", "p2p_assist.__main__")):
            importlib.import_module(module.name)


def as_user(argv: list[str], env: dict[str, str] | None = None, stdin: bytes = b"") -> Ran:
    """p2p-assist ARGS as the unprivileged user `nobody` when running as root (CI does: root
    reads any file whatever its mode), else as ourselves. Forked, not spawned: no new
    interpreter to start, and the privileges are dropped for the child alone."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        with tempfile.TemporaryFile() as given:
            given.write(stdin)
            given.seek(0)
            _preload()
            pid = os.fork()
            if pid == 0:  # the child: never returns into pytest
                _child(argv, env or {}, given.fileno(), out.fileno(), err.fileno())
            _, status = os.waitpid(pid, 0)
        out.seek(0)
        err.seek(0)
        return Ran(os.waitstatus_to_exitcode(status), out.read().decode(), err.read().decode())


def _child(argv: list[str], env: dict[str, str], stdin: int, out: int, err: int) -> None:
    code = 99
    try:
        os.dup2(stdin, 0)
        os.dup2(out, 1)
        os.dup2(err, 2)
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
        os.environ.update(env)
        code = main(argv)
    except SystemExit as stop:
        code = _exit_code(stop.code)
    except BaseException:
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)
