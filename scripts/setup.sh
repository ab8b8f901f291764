#!/usr/bin/env bash
# Set up p2p-assist on a fresh Debian machine: system packages, then a venv in .venv.
# Safe to run again: it only installs what is missing.
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

if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[test]'
echo "setup: ready (.venv/bin/p2p-assist)"
