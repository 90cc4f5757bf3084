# The screen test every editor goes through, on fixtures/visit.clinic and fixtures/no-eye.clinic in an
# 80x24 terminal. Source from a test-*-screen script after screen.sh, with VERSION (the golden screens'
# folder) and ed_start set. The ed_* key functions below are Vim's and Neovim's; Emacs redefines them.
# Every line summary is expected two columns after its text: "IOP 14/16, rev 4/52  14 R IOP · ...".
TYPING_S=${CLINIC_SCREEN_TYPING_S:-1}
# A screen pattern that shows the editor is still in insert mode (empty: the editor has no modes).
INSERT_MODE=${INSERT_MODE-'^-- INSERT --'}
# The sign column: the first two columns of a line with a finding, a warning.
INFO_SIGN=${INFO_SIGN-'I '}
WARN_SIGN=${WARN_SIGN-'W '}

# An Escape followed at once by a key reads as Alt+key in a terminal.
escape() { keys Escape; sleep 0.3; }
declare -F ed_new_note >/dev/null || ed_new_note() { keys G o Enter; }          # insert mode, new paragraph at the end
declare -F ed_leave_insert >/dev/null || ed_leave_insert() { escape; }
declare -F ed_split_at_first >/dev/null || ed_split_at_first() { keys g g 0 f "$1" i Enter; escape; } # before the first CHAR of line 1
declare -F ed_delete_line >/dev/null || ed_delete_line() { keys g g "/$1" Enter d d; } # the first line with TEXT
declare -F ed_summary >/dev/null || ed_summary() { keys g g '\' s; }            # the summary action on the first note
declare -F ed_other_file >/dev/null || ed_other_file() { keys : h i d e Space b n Enter; }    # no-eye.clinic
declare -F ed_quit >/dev/null || ed_quit() { keys : q a ! Enter; }

ed_start
DRUG_LINE='R) Eylea 2mg given. VA R 6/9 L 6/12'
IOP_LINE='IOP 14/16, rev 4/52'
if [ "$CLINIC_TEST_MODEL" = 1 ]; then
  expect_within 30 "the drug line shows its drug, then the acuities, dim, after the text" \
    line_shows "$DRUG_LINE" '^  Eylea R · 6/9 R logMAR 0\.18 · 6/12 L'
  check "the third note's drug is named once for both eyes" line_shows 'OU vabysmo, VA R 6/12 L 6/9' '^  vabysmo R L · 6/12 R'
  check "a cut summary ends in …, within 80 columns" line_shows "$DRUG_LINE" '…$'
fi
expect_within 30 "the IOP line shows both pressures and the review" line_shows "$IOP_LINE" '^  14 R IOP · 16 L IOP · 4/52 review 4 weeks$'
expect_within 5 "findings have the information sign" screen_has "^$INFO_SIGN$IOP_LINE"
check "the summary is dim, not the text's colour" differ_in_colour '14 R IOP' "IOP 14/16"
golden open "$VERSION"
! declare -F ed_checks >/dev/null || ed_checks

# Typing a new note key by key: its summary comes without leaving insert mode, the text never moves.
ed_new_note
if [ "$CLINIC_TEST_MODEL" = 1 ]; then TYPED='R) Eylea given, VA 6/9'; WANT='^  Eylea R · 6/9 R logMAR 0\.18$'
else TYPED='IOP 20/21, rev 2/52'; WANT='^  20 R IOP · 21 L IOP'; fi
type_text "$TYPED"
start=$(date +%s%N)
expect_within "$TYPING_S" "a typed note gets its summary within ${TYPING_S}s of the last key" line_shows "$TYPED" "$WANT"
echo "  (summary $((($(date +%s%N) - start) / 1000000)) ms after the last key)"
[ -z "$INSERT_MODE" ] || check "still in insert mode" screen_has "$INSERT_MODE"
check "the sign column stays while typing" screen_has "^  $TYPED|^$INFO_SIGN$TYPED"
ed_leave_insert

# Splitting a line: one second later nothing sits on the wrong half.
ed_split_at_first V
sleep 1
SCREEN=$(capture)
if [ "$CLINIC_TEST_MODEL" = 1 ]; then
  check "after a split the drug half shows no acuity" line_lacks 'R) Eylea 2mg given.' 'logMAR'
  check "after a split the acuity half shows no drug" line_lacks 'VA R 6/9 L 6/12' 'Eylea'
  expect_within 5 "the acuity half gets the acuities" line_shows 'VA R 6/9 L 6/12' '^  6/9 R logMAR 0\.18 · 6/12 L logMAR 0\.30$'
fi
check "after a split the IOP line keeps its own summary" line_shows "$IOP_LINE" '^  14 R IOP'

# Deleting the second note's IOP line: its summary must not slide onto the blank line below.
ed_delete_line 'IOP 15'
sleep 1
SCREEN=$(capture)
row=$(row_of 'L) lucentis #3 today')
check "after deleting a line the next (blank) line shows no summary" row_lacks $((row + 1)) '[A-Za-z0-9]'
check "after deleting a line no IOP 15/17 summary is left" screen_lacks '15 R IOP'

# The summary action on the first note inserts its summary; every line then shows its own findings.
ed_summary
expect_within 10 "the summary action inserts the first note's summary" screen_has '^  \[Summary\] Right eye drug: Eylea'
sleep 1
SCREEN=$(capture)
check "after the summary the IOP line shows its pressures" line_shows "$IOP_LINE" '^  14 R IOP'
check "the summary line itself shows no findings" row_lacks "$(row_of '[Summary]')" ' · '
golden after-edits "$VERSION"
! declare -F ed_checks >/dev/null || ed_checks

# A note that names no eye: the warning, with its own sign and colour, before the line's summary.
ed_other_file
if [ "$CLINIC_TEST_MODEL" = 1 ]; then
  expect_within 30 "the no-eye note shows the no-eye warning on its line" \
    line_shows 'Seen today. Eylea given, VA 6/9' '^  W Eylea \(aflibercept\): no eye given'
  check "the warning has the warning sign" screen_has "^${WARN_SIGN}Seen today"
  check "the warning is coloured unlike the findings" differ_in_colour 'W Eylea (aflibercept)' '4/52 review'
  check "the warning sign is coloured unlike the information sign" \
    differ_in_colour "${WARN_SIGN}Seen today" "${INFO_SIGN}IOP 14, rev"
  golden no-eye "$VERSION"
else
  expect_within 30 "the no-eye note's review is shown" line_shows 'IOP 14, rev 4/52' 'review 4 weeks'
fi
ed_quit
