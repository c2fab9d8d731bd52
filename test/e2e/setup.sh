#!/usr/bin/env bash
# Installs what the real-editor suites need, once per machine; every step is skipped when already present.
#   apt (root): chromium, libkrb5-dev (code-server's kerberos module), ripgrep (code-server's search), neovim
#   code-server 4.100.3 (VS Code 1.100.3, the newest on Node 20) into the git-ignored .cache/ of the repo
# Prints the code-server entry script as the last line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
CS_VERSION=${CS_VERSION:-4.100.3}
CACHE=${ARC_LOGS_E2E_CACHE:-$root/.cache}
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v rg >/dev/null || need+=(ripgrep)
command -v nvim >/dev/null || need+=(neovim)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
if [ ${#need[@]} -gt 0 ]; then
  echo "[setup] apt-get install ${need[*]}" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node_version.h ]; then export npm_config_nodedir=/usr; fi
CS_DIR=$CACHE/code-server-$CS_VERSION
if [ ! -f "$CS_DIR/.installed" ]; then
  echo "[setup] installing code-server $CS_VERSION into $CS_DIR" >&2
  rm -rf "$CS_DIR"
  bash "$here/install-code-server.sh" "$CS_DIR" "$CS_VERSION" >&2
  touch "$CS_DIR/.installed"
fi
echo "$CS_DIR/node_modules/code-server/out/node/entry.js"
