"""The wheel as a new user gets it: built, installed into a fresh virtualenv, run from an empty
folder far from the checkout, with a home of its own.

Offline by design: the wheel is built without build isolation (the test extra brings
setuptools) and installed with --no-deps --no-index. Its dependencies come from the project's
own environment through a .pth line in the fresh venv, which adds that site-packages as a plain
path (its own .pth files, such as the editable install's hook, are not run): so the only
p2p_assist the fresh venv can import is the installed wheel, which the test checks.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

DEMO = "demo-ra-biologic"
# Everything the build reads; the checkout's own build/, caches, models and calls stay put.
SOURCES = (
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "p2p_assist",
    "prompts",
    "cases",
)
LEFT_OUT = shutil.ignore_patterns("__pycache__", ".*", "calls", "*.egg-info")


@dataclass(frozen=True)
class Shell:
    """Where and with what environment a command runs."""

    cwd: Path | None = None
    env: dict[str, str] | None = None


def run(
    args: list[str], shell: Shell = Shell(), stdin: str = "", status: int = 0
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        args, input=stdin, capture_output=True, text=True, timeout=600, check=False,
        cwd=shell.cwd, env=shell.env,
    )  # fmt: skip
    assert done.returncode == status, f"{args}: {done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, repo_root: Path) -> Path:
    """A fresh venv with the wheel installed; returns its bin/ folder."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    source.mkdir()
    for name in SOURCES:
        if (repo_root / name).is_dir():
            shutil.copytree(repo_root / name, source / name, ignore=LEFT_OUT)
        else:
            shutil.copy2(repo_root / name, source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    offline = ["--no-deps", "--no-index"]
    run([*pip, "wheel", *offline, "--no-build-isolation", "-w", str(root / "dist"), str(source)])
    (wheel,) = (root / "dist").glob("p2p_assist-*.whl")
    print(f"\nwheel: {wheel.name}, {wheel.stat().st_size / 1e6:.1f} MB")
    venv = root / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    (fresh_site,) = (venv / "lib").glob("python3*/site-packages")
    (fresh_site / "project_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    run([*pip, "--python", str(python), "install", *offline, str(wheel)])
    return venv / "bin"


@pytest.fixture
def user(tmp_path: Path, installed: Path) -> Shell:
    """How the user's shell looks: an empty working folder, their own home, the venv on PATH."""
    home = tmp_path / "home"
    work = tmp_path / "empty"
    work.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("P2P_ASSIST_", "XDG_", "PYTHON", "VIRTUAL_ENV"))
    }
    env |= {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "PATH": f"{installed}{os.pathsep}{env.get('PATH', '')}",
    }
    return Shell(work, env)


def p2p(
    user: Shell, *args: str, stdin: str = "", status: int = 0
) -> subprocess.CompletedProcess[str]:
    return run(["p2p-assist", *args], user, stdin, status)


def installed_package(user: Shell) -> Path:
    code = "import pathlib, p2p_assist; print(pathlib.Path(p2p_assist.__file__).parent)"
    return Path(run(["python", "-c", code], user).stdout.strip())


def files_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if "__pycache__" not in path.parts}


def test_the_installed_wheel_works_from_an_empty_folder(
    user: Shell, installed: Path, tmp_path: Path
) -> None:
    package = installed_package(user)
    assert package.is_relative_to(installed.parent) and "site-packages" in package.parts
    shipped = package / "_bundled"
    demo_case = tomllib.loads((shipped / "cases" / DEMO / "case.toml").read_text())
    before = files_under(package)

    matched = p2p(user, "match", stdin="Did she fail the preferred biosimilar on our formulary?\n")
    assert "step_therapy" in {hit["id"] for hit in json.loads(matched.stdout)["objections"]}

    made = p2p(user, "case", "new", "my-first-case")
    own = tmp_path / "home" / "data" / "p2p-assist" / "cases" / "my-first-case" / "case.toml"
    assert str(own) in made.stdout and (own.stat().st_mode & 0o777) == 0o600
    listed = p2p(user, "case", "list").stdout
    assert (
        "my-first-case" in listed.split("Demo cases")[0] and DEMO in listed.split("Demo cases")[1]
    )

    # A blank template is not ready for a call (exit 1, each empty field named); a demo is.
    blank = p2p(user, "case", "check", "my-first-case", status=1).stdout
    assert "NOT READY" in blank and "denial.reason" in blank
    assert "ready for a call" in p2p(user, "case", "check", DEMO).stdout
    brief = p2p(user, "brief", DEMO).stdout
    assert demo_case["request"]["service"] in brief

    recording = shipped / "cases" / DEMO / "mock-call.wav"
    engine = ("--engine", "pocketsphinx", "--json")
    done = p2p(user, "transcribe", str(recording), "--case", DEMO, "--save", *engine)
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    raised = {hit["id"] for line in lines for hit in line["objections"]}
    assert "step_therapy" in raised
    (saved,) = [line for line in done.stderr.splitlines() if "call saved to" in line]
    call_dir = Path(saved.split("call saved to ", 1)[1])
    assert call_dir.is_relative_to(tmp_path / "home" / "data" / "p2p-assist" / "demos" / DEMO)
    transcript = call_dir / "transcript.jsonl"
    assert transcript.stat().st_size > 0 and (transcript.stat().st_mode & 0o777) == 0o600
    assert (call_dir.stat().st_mode & 0o777) == 0o700

    assert files_under(package) == before  # nothing was written into site-packages
    assert user.cwd is not None and list(user.cwd.iterdir()) == []
