#!/usr/bin/env bash
# Print, as one JSON line, what headless Neovim's built-in LSP client gets from the Arc Logs server and what its
# code actions do.   usage: run-nvim.sh <server.js> <log file> <code>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export LSP_CMD="node $1 --stdio" LSP_FILE="$(realpath "$2")" LSP_CODE="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME=$tmp XDG_STATE_HOME=$tmp XDG_DATA_HOME=$tmp XDG_CONFIG_HOME=$tmp
# -u NONE: no user config; -i NONE: no shada; -n: no swap file. Output goes to stdout via io.write.
timeout "${LSP_PROBE_TIMEOUT:-60}" nvim --headless -u NONE -i NONE -n -c "luafile $here/lsp-probe.lua"
