#!/usr/bin/env bash
# Emacs 28 with eglot for tests_e2e/editors/test_emacs.py, from Debian: emacs-nox, elpa-eglot
# (eglot 1.9 on Debian 12) and tmux (the test drives a real terminal session through it).
# Idempotent and quiet: installs only what is missing, prints one line.
# Usage: bash tests_e2e/editors/install_emacs.sh
set -euo pipefail

missing=()
command -v emacs >/dev/null 2>&1 || missing+=(emacs-nox)
dpkg-query -W -f='${Status}' elpa-eglot 2>/dev/null | grep -q "install ok installed" \
  || missing+=(elpa-eglot)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)

if [ ${#missing[@]} -eq 0 ]; then
  echo "emacs: $(emacs --version | head -1), elpa-eglot $(dpkg-query -W -f='${Version}' elpa-eglot) already installed"
  exit 0
fi

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >/dev/null
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "emacs: installed ${missing[*]}: $(emacs --version | head -1), elpa-eglot $(dpkg-query -W -f='${Version}' elpa-eglot)"
