#!/usr/bin/env bash
# Set up p2p-assist on a fresh Debian machine: system packages, then a venv in .venv.
# Safe to run again: it installs only what is missing, and reinstalls the venv's packages only
# when pyproject.toml has changed since the last install. Installer output goes to
# .venv/setup.log and is shown only if a step fails.
set -euo pipefail
cd "$(dirname "$0")/.."

# flite/sox/espeak-ng: speech for mock calls and tests; libportaudio2: the microphone;
# pulseaudio + plugins: the virtual microphone the tests use; tmux: the terminal smoke test.
APT_PACKAGES=(flite sox espeak-ng libportaudio2 pulseaudio pulseaudio-utils libasound2-plugins tmux)
missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  if [[ $(id -u) -eq 0 ]]; then sudo=(); else sudo=(sudo); fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

log=.venv/setup.log
quietly() {
  if ! "$@" >>"$log" 2>&1; then
    echo "setup: failed: $*" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
}

if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv
  : >"$log"
  quietly .venv/bin/python -m pip install --upgrade pip
fi
# The stamp is pyproject.toml's hash at the last successful install.
stamp=.venv/setup.stamp
wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [[ ! -x .venv/bin/p2p-assist || "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]]; then
  echo "setup: installing p2p-assist and its test tools into .venv"
  : >"$log"
  quietly .venv/bin/python -m pip install -e '.[test]'
  echo "$wanted" >"$stamp"
fi
echo "setup: ready (.venv/bin/p2p-assist)"
