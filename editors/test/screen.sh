# Screen tests: an editor runs in a private tmux server at 80x24 and the tests read the screen it draws.
# Source after lib.sh (and make_scratch). Every wait polls the screen until it holds or a deadline passes.
#   screen_start CMD...         start CMD in $SCRATCH in an 80x24 terminal (tmux-256color)
#   keys ARG...                 tmux send-keys (key names: Escape, Enter, C-c ...)
#   type_text TEXT              types TEXT one key at a time, 40 ms apart, as a person would
#   capture / capture_colour    the screen now, plain / with SGR escapes; colour_at TEXT its colours
#   row_of TEXT                 the screen row (1-based) of the first line that shows TEXT, or nothing
#   wait_for SECONDS CHECK...   polls until the command CHECK... succeeds; its last screen is in $SCREEN
#   golden NAME                 compares the settled screen with screens/<editor-version>/NAME.txt
#                               (CLINIC_UPDATE_SCREENS=1 writes it instead)
command -v tmux >/dev/null || skip "tmux not installed (apt-get install tmux); the screen tests need it"
SCREEN_SOCKET="clinic-test-$$"
SCREEN=""
SCREEN_FAILURES=0
SCREENS_DIR="$REPO/editors/test/screens"

screen_stop() { tmux -L "$SCREEN_SOCKET" kill-server 2>/dev/null; rm -rf "$SCRATCH"; }

screen_start() {
  cat >"$SCRATCH/tmux.conf" <<'EOF'
set -g default-terminal tmux-256color
set -g escape-time 0
set -g status off
set -g remain-on-exit on
EOF
  trap screen_stop EXIT
  # The editor sees a clean environment: no user config, the test's HOME, the server under test.
  tmux -L "$SCREEN_SOCKET" -f "$SCRATCH/tmux.conf" new-session -d -x 80 -y 24 -c "$SCRATCH" \
    env HOME="$HOME" CLINIC_LSP="$SERVER" LANG=C.UTF-8 "$@"
}

keys() { tmux -L "$SCREEN_SOCKET" send-keys "$@"; }

type_text() {
  local text=$1 i
  for ((i = 0; i < ${#text}; i++)); do
    keys -l -- "${text:i:1}"
    sleep 0.04
  done
}

capture() { tmux -L "$SCREEN_SOCKET" capture-pane -p; }
capture_colour() { tmux -L "$SCREEN_SOCKET" capture-pane -p -e; }

# row_of TEXT [SCREEN]: 1-based row of the first screen line containing TEXT.
row_of() { printf '%s\n' "${2:-$SCREEN}" | grep -nF -m1 -- "$1" | cut -d: -f1; }
# row_text TEXT: the whole screen line that contains TEXT.
row_text() { printf '%s\n' "$SCREEN" | grep -F -m1 -- "$1"; }
row_at() { printf '%s\n' "$SCREEN" | sed -n "${1}p"; }

wait_for() {
  local seconds=$1; shift
  local deadline=$(($(date +%s%N) + seconds * 1000000000))
  while :; do
    SCREEN=$(capture)
    "$@" && return 0
    [ "$(date +%s%N)" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

show_screen() { printf '%s\n' "${1:-$SCREEN}" | sed 's/^/    |/'; }

# check DESCRIPTION CMD...: runs CMD against the last screen; counts a failure and shows the screen.
check() {
  local what=$1; shift
  if "$@"; then echo "ok - $what"; return 0; fi
  echo "not ok - $what"
  show_screen
  SCREEN_FAILURES=$((SCREEN_FAILURES + 1))
  return 1
}
# expect_within SECONDS DESCRIPTION CMD...: like check, after polling for up to SECONDS.
expect_within() {
  local seconds=$1 what=$2; shift 2
  wait_for "$seconds" "$@"
  check "$what" "$@"
}

# line_shows TEXT PATTERN: the screen line with TEXT also matches the extended regex PATTERN after TEXT.
line_shows() {
  local line
  line=$(row_text "$1") || return 1
  printf '%s' "${line#*"$1"}" | grep -qE -- "$2"
}
# line_lacks TEXT PATTERN: the screen line with TEXT is there and does not match PATTERN after TEXT.
line_lacks() {
  local line
  line=$(row_text "$1") || return 1
  ! printf '%s' "${line#*"$1"}" | grep -qE -- "$2"
}
# row_lacks ROW PATTERN: screen row ROW does not match PATTERN.
row_lacks() { ! row_at "$1" | grep -qE -- "$2"; }
screen_has() { printf '%s\n' "$SCREEN" | grep -qE -- "$1"; }
screen_lacks() { ! screen_has "$1"; }

# colour_at TEXT: the colours and attributes of the screen cell where TEXT starts ("fg=33", "default").
colour_at() { capture_colour | "$REPO/editors/test/screen-colour" "$1"; }
# differ_in_colour TEXT1 TEXT2: both are on screen, and drawn in different colours or attributes.
differ_in_colour() {
  local a b
  a=$(colour_at "$1"); b=$(colour_at "$2")
  echo "    colours: '$1' $a; '$2' $b"
  [ -n "$a" ] && [ -n "$b" ] && [ "$a" != "$b" ]
}

# golden_filter: what of a screen the golden files hold (stdin to stdout); an editor whose screen has
# rows that change from run to run (process ids, temporary paths) redefines it.
declare -F golden_filter >/dev/null || golden_filter() { cat; }

# golden NAME EDITOR_VERSION: waits for the screen to equal the stored one; a version without stored
# screens, or no trained model, only prints the screen.
golden() {
  local name=$1 version=$2 file="$SCREENS_DIR/$2/$1.txt"
  if [ "${CLINIC_TEST_MODEL:-0}" != 1 ]; then echo "skipped (no model): golden screen $name"; return 0; fi
  if [ "${CLINIC_UPDATE_SCREENS:-0}" = 1 ]; then
    sleep 1.5
    mkdir -p "$SCREENS_DIR/$version"
    capture | golden_filter >"$file"
    echo "updated $file"
    return 0
  fi
  if [ ! -f "$file" ]; then
    echo "note: no golden screens for $version; screen $name:"
    show_screen "$(capture)"
    return 0
  fi
  local want
  want=$(cat "$file")
  same_as_golden() { [ "$(printf '%s\n' "$SCREEN" | golden_filter)" = "$want" ]; }
  if wait_for 5 same_as_golden; then echo "ok - screen $name matches $version/$name.txt"; return 0; fi
  echo "not ok - screen $name matches $version/$name.txt (CLINIC_UPDATE_SCREENS=1 to accept):"
  diff <(printf '%s\n' "$want") <(printf '%s\n' "$SCREEN" | golden_filter) | sed 's/^/    /'
  SCREEN_FAILURES=$((SCREEN_FAILURES + 1))
}

screen_done() {
  [ "$SCREEN_FAILURES" -eq 0 ] || fail "$SCREEN_FAILURES screen checks failed"
  pass "$@"
}
