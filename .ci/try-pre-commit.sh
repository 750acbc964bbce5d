#!/usr/bin/env bash
# Tries the hooks of .pre-commit-hooks.yaml as a user's repository meets
# them: `pre-commit try-repo` builds `deal` from this repository's HEAD (or
# its uncommitted changes, with a warning) and runs `deal-check` and
# `deal-fmt` in a scratch git repository, then this script checks what
# each hook reported and what it did to the files.
#
# pre-commit builds with `cargo install` (the release profile). To keep CI
# short, that build is unoptimised and its target directory is kept in
# target/ci-install (shared with .ci/try-action.sh), so only the first
# install of a run compiles the dependencies; each try-repo still rebuilds
# the deal crate itself (pre-commit clones the repository to a new path),
# hence two runs and not more.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

if ! command -v pre-commit >/dev/null 2>&1; then
  echo "installing pre-commit (pip install pre-commit)"
  python3 -m pip install --quiet pre-commit
fi

# shellcheck source=install-env.sh
source "$root/.ci/install-env.sh"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
git init --quiet .
cp "$root/examples/msft_openai_2025.deal" clean.deal
# The same contract, badly laid out: deal-fmt rewrites it.
sed -e 's/^\(party [a-z_]*\) /\1     /' "$root/examples/msft_openai_2019.deal" > messy.deal
printf 'party openai\nasset api\naction host\nhosting: openai may host api on azur\n' > broken.deal
git add clean.deal messy.deal broken.deal

fail() {
  echo "try-pre-commit: FAILED: $*" >&2
  exit 1
}

# Runs every hook of the repository on every file; its output in $log.
log="$scratch/.pre-commit.log"
try_hooks() {
  local status=0
  pre-commit try-repo "$root" --all-files --color never >"$log" 2>&1 || status=$?
  sed 's/^/    /' "$log"
  return "$status"
}

echo "== pre-commit try-repo: both hooks, a broken and a badly laid out contract"
before="$(cat messy.deal)"
if try_hooks; then fail "the hooks passed on a contract with an error"; fi
grep -q '^deal check\.*Failed' "$log" || fail "deal-check did not fail"
grep -q 'deal::unknown-name' "$log" || fail "deal-check did not report the undeclared name"
grep -q '^deal fmt\.*Failed' "$log" || fail "deal-fmt did not fail on a file it rewrote"
grep -q 'files were modified by this hook' "$log" || fail "pre-commit did not say deal-fmt rewrote a file"
[ "$(cat messy.deal)" != "$before" ] || fail "deal-fmt did not rewrite messy.deal"
git diff --quiet -- clean.deal || fail "deal-fmt changed a file already in the canonical layout"

echo "== again, the rewritten file staged and the broken contract removed: both hooks pass"
git add messy.deal
git rm --quiet --force broken.deal
try_hooks || fail "the hooks failed on clean contracts in the canonical layout"
grep -q '^deal check\.*Passed' "$log" || fail "deal-check did not pass"
grep -q '^deal fmt\.*Passed' "$log" || fail "deal-fmt did not pass on files in the canonical layout"

echo "try-pre-commit: the deal-check and deal-fmt hooks behave as documented (docs/ci.md)"
