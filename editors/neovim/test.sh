#!/usr/bin/env bash
# Headless Neovim against `deal lsp`: opens a contract with an unknown name
# and reads the diagnostic and a hover back. Usage: test.sh [DEAL_BINARY]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
deal="$(realpath "${1:-$here/../../target/debug/deal}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/broken.deal" <<'DEAL'
party openai "OpenAI Group PBC"
asset api
venue azure
api_exclusive: exclusive api on azur
DEAL
out="$(DEAL_BINARY="$deal" DEAL_FILE="$work/broken.deal" DEAL_NVIM_DIR="$here" \
  timeout 120 nvim --headless -u NONE -i NONE -c "luafile $here/test.lua" 2>&1)"
echo "$out"
grep -q "deal::unknown-name" <<<"$out"
grep -q "^hover " <<<"$out"
