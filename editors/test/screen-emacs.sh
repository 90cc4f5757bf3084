# The screen scenario's keys in Emacs (emacs -nw, default key bindings); source after screen.sh.
# Emacs has no modes to leave, and draws the signs in a two-column left margin like Vim's sign column.
INSERT_MODE=''
# The golden screens stop above the mode line: it and the echo area name the server's process id and
# the scratch folder, which change from run to run.
golden_filter() { sed '/^-[-A-Za-z0-9%*:@]*F1  /,$d'; }   # the mode line and all below
EMACS_VERSION=$(emacs --batch --eval '(princ emacs-version)' 2>/dev/null)
# emacs_package_version NAME: the version of the installed package NAME (eglot, lsp-mode), or "built-in".
emacs_package_version() {
  emacs --batch --eval "(progn (require 'package) (package-initialize)
    (let ((d (cadr (assq '$1 package-alist)))) (princ (if d (package-version-join (package-desc-version d)) \"built-in\"))))" 2>/dev/null
}
ed_new_note() { keys 'M->' Enter; }                                     # a new paragraph at the end
ed_leave_insert() { :; }
ed_split_at_first() { keys 'M-<' C-s; keys -l -- "$1"; keys Enter C-b Enter; } # before the first CHAR
ed_delete_line() { keys 'M-<' C-s; keys -l -- "$1"; keys Enter C-a C-k C-k; }  # the first line with TEXT
ed_summary() { keys 'M-<' C-c C-s; }                                    # the summary of the first note
ed_other_file() { keys C-x C-f; keys -l no-eye.clinic; keys Enter; }
ed_quit() { keys M-x; keys -l kill-emacs; keys Enter; }
# Checks of the Emacs screen, run by the scenario after the first screen and after the edits.
MODE_LINE='^-[-A-Za-z0-9%*:@]*F1  '
# The hover's first line in the echo area, the last row, below the mode line: one row, not the table.
echo_shows_hover() { row_at 24 | grep -q 'Note 1 of' && row_at 23 | grep -qE -- "$MODE_LINE"; }
ed_checks() {
  check "no native-compilation *Warnings* window" screen_lacks '\*Warnings\*'
  keys C-n C-p                                       # eldoc shows the hover after a cursor move
  expect_within 5 "the echo area shows the note's findings in one row" echo_shows_hover
  check "the echo area does not show the hover table" screen_lacks '^\| Field'
}
