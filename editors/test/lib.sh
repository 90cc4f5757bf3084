# Shared by the real-editor tests: locations, the server binary, the model, skip/fail and a scratch copy
# of the fixture notes. Source it; it sets REPO, SERVER, FIXTURES, SCRATCH and CLINIC_TEST_MODEL.
set -uo pipefail
TEST_NAME=$(basename "$0")
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FIXTURES="$REPO/editors/test/fixtures"
# Each editor run is killed after this many seconds, so a hung server cannot hang the suite.
EDITOR_TIMEOUT=${CLINIC_EDITOR_TIMEOUT:-40}

skip() { echo "SKIP: $TEST_NAME: $*"; exit 0; }
fail() { echo "FAIL: $TEST_NAME: $*" >&2; exit 1; }
pass() { echo "ok: $TEST_NAME${1:+: $*}"; exit 0; }

# The binary `swift build` produced (CLINIC_LSP overrides). A missing server is a failure, not a skip:
# `make test-editors` builds it first.
SERVER=${CLINIC_LSP:-$REPO/.build/debug/clinic-lsp}
require_server() {
  [ -x "$SERVER" ] || fail "no server binary at $SERVER (run 'swift build' first, or set CLINIC_LSP)"
}

# 1 when the server will find the trained model where it looks by default ($CLINIC_LSP_MODEL, else the
# repository's model/), else 0. The tests then assert on the model's findings, or on the model-independent
# plugins only (IOP, review interval) and say what they skipped.
detect_model() {
  local dir=${CLINIC_LSP_MODEL:-$REPO/model}
  if [ -z "${CLINIC_TEST_MODEL:-}" ]; then
    if [ -f "$dir/config.json" ] && [ -f "$dir/model.safetensors" ]; then CLINIC_TEST_MODEL=1; else CLINIC_TEST_MODEL=0; fi
  fi
  export CLINIC_TEST_MODEL
  if [ "$CLINIC_TEST_MODEL" = 0 ]; then
    echo "note: $TEST_NAME: no trained model in $dir; drug and acuity checks skipped, IOP and review checks run"
  fi
}

# A private copy of the fixtures, so that inserted summaries never touch the repository.
make_scratch() {
  SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/clinic-editor-test.XXXXXX")
  trap 'rm -rf "$SCRATCH"' EXIT
  cp "$FIXTURES"/* "$SCRATCH"/
  # The server takes the nearest .clinic-lsp.json above a note: an empty one here keeps a stray file in
  # a folder above (a /tmp/.clinic-lsp.json once turned CI red) from changing what the editors show.
  echo '{}' >"$SCRATCH/.clinic-lsp.json"
  export HOME="$SCRATCH/home"
  mkdir -p "$HOME"
}

# run_editor LOG CMD...: runs CMD with its output in LOG, killed after EDITOR_TIMEOUT seconds; prints LOG
# and fails on a non-zero exit.
run_editor() {
  local log=$1; shift
  timeout --kill-after=5 "$EDITOR_TIMEOUT" "$@" >"$log" 2>&1
  local rc=$?
  if [ $rc -ne 0 ]; then
    cat "$log" >&2
    [ $rc -eq 124 ] || [ $rc -eq 137 ] && fail "editor still running after ${EDITOR_TIMEOUT}s"
    fail "editor exited with status $rc"
  fi
}
