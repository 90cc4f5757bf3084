;;; test-emacs-summary.el --- clinic-lsp-summary.el without a server or a client -*- lexical-binding: t; -*-

;; Run by test-emacs-summary in a batch Emacs.  Hints and diagnostics are given as the wire carries
;; them (plists as eglot reads JSON, hash tables as lsp-mode does); the fetch function is a stand-in
;; that answers when the test says so, so stale answers and edits in between can be staged.

(require 'cl-lib)
(require 'clinic-lsp-summary)

(defvar clinic-test-failures 0)
(defun clinic-test-check (ok what &optional detail)
  (if ok (message "ok - %s" what)
    (setq clinic-test-failures (1+ clinic-test-failures))
    (message "not ok - %s%s" what (if detail (format "\n    got: %S" detail) ""))))

(defun hint (line character field words label)
  (list :position (list :line line :character character) :label label
        :data (list :field field :text words)))
(defun diagnostic (line character severity message)
  (list :range (list :start (list :line line :character character)
                     :end (list :line line :character (1+ character)))
        :severity severity :message message))
(defun hash (&rest pairs)
  "A JSON object as lsp-mode reads it: nested hash tables from PAIRS (string, value...)."
  (let ((table (make-hash-table :test #'equal)))
    (while pairs (puthash (pop pairs) (pop pairs) table))
    table))

(defun read-hints (&rest hints) (delq nil (mapcar #'clinic-lsp-summary--read-hint hints)))

;;;; The summary of a line

(clinic-test-check
 (equal (clinic-lsp-summary-line
         (read-hints (hint 0 28 "acuity.right" "6/9" "R logMAR 0.18") (hint 0 8 "drug.right" "Eylea" "R")
                     (hint 0 40 "iop.right" "14" "R IOP") (hint 0 35 "acuity.left" "6/12" "L logMAR 0.30"))
         "R) Eylea 2mg given. VA R 6/9 L 6/12 IOP 14")
        "Eylea R · 6/9 R logMAR 0.18 · 6/12 L logMAR 0.30 · 14 R IOP")
 "drugs first, then acuities in their order on the line, then the rest")
(clinic-test-check
 (equal (clinic-lsp-summary-line
         (read-hints (hint 0 10 "drug.right" "vabysmo" "R") (hint 0 10 "drug.left" "vabysmo" "L")) "")
        "vabysmo R L")
 "the same words for both eyes are written once: vabysmo R L")
(clinic-test-check
 (equal (clinic-lsp-summary-line
         (read-hints (hint 0 6 "iop.right" "14" "Right eye IOP: 14 mmHg") (hint 0 3 "drug.right" "x" "Right eye drug: Eylea"))
         "")
        "Right eye drug: Eylea · Right eye IOP: 14 mmHg")
 "a full-style label stands alone")
(clinic-test-check
 (equal (clinic-lsp-summary-line
         (read-hints (list :position (list :line 0 :character 6) :label "R IOP")
                     (list :position (list :line 0 :character 9) :label "L IOP"))
         "IOP 14/16, rev")
        "14 R IOP · 16 L IOP")
 "without data.text the hint follows the word before it (14, then 16)")
(clinic-test-check
 (equal (clinic-lsp-summary-line
         (delq nil (list (clinic-lsp-summary--read-hint
                          (hash "position" (hash "line" 0 "character" 8) "label" (vector (hash "value" "R"))
                                "data" (hash "field" "drug.right" "text" "Eylea")))))
         "")
        "Eylea R")
 "hints read from lsp-mode's hash tables, with a label of parts")
(clinic-test-check
 (null (read-hints (list :position (list :line -1 :character 0) :label "x")
                   (list :position (list :line 0 :character 2.5) :label "x")
                   (list :position (list :line 0 :character 1) :label "")
                   (list :label "x")))
 "malformed hints (negative or fractional positions, empty label, no position) are dropped")

(let ((cut (clinic-lsp-summary--fit (list (cons "W no eye given" 'w) (cons " │ " 'h) (cons "Eylea R · 6/9 R" 'h)) 20)))
  (clinic-test-check (equal (mapconcat #'car cut "") "W no eye given │ Ey…") "cut to the width, ending in …"
                     (mapconcat #'car cut ""))
  (clinic-test-check (= (string-width (mapconcat #'car cut "")) 20) "the cut summary is exactly the width"))

;;;; Drawing in a buffer

(defvar fetches nil "The callbacks of the stand-in fetch, newest first.")
(defun answer (&rest hints) (funcall (pop fetches) hints))
(defun settle () (sit-for 0.2) (while (accept-process-output nil 0.01)))
(defun after-strings (line)
  "The after-strings and signs drawn on LINE (1-based): (AFTER . SIGN) without properties."
  (save-excursion
    (goto-char (point-min))
    (forward-line (1- line))
    (let (found)
      (dolist (overlay (overlays-in (line-beginning-position) (1+ (line-end-position))) found)
        (when (and (overlay-get overlay 'clinic-lsp-summary)
                   (<= (line-beginning-position) (overlay-start overlay) (line-end-position)))
          (push (cons (and (overlay-get overlay 'after-string)
                           (substring-no-properties (overlay-get overlay 'after-string)))
                      (let ((sign (overlay-get overlay 'before-string)))
                        (and sign (substring-no-properties (cadr (get-text-property 0 'display sign))))))
                found))))))

(with-current-buffer (get-buffer-create "notes")
  (switch-to-buffer (current-buffer))
  (insert "R) Eylea 2mg given. VA R 6/9\nIOP 14/16\n\nSeen today. Eylea given\n")
  (clinic-lsp-summary-start (lambda (callback) (push callback fetches)))
  (settle)
  (clinic-test-check (= (length fetches) 1) "starting fetches the hints" fetches)
  (clinic-test-check (equal (window-margins) '(2)) "a two-column left margin" (window-margins))
  (clinic-lsp-summary-set-diagnostics
   (current-buffer)
   (vector (diagnostic 0 3 3 "Right eye drug: Eylea") (diagnostic 1 4 3 "Right eye IOP: 14 mmHg")
           (diagnostic 3 12 3 "Drug: Eylea") (diagnostic 3 12 2 "Eylea: no eye given (add R, L or OU)")
           (diagnostic 3 0 2 "Second warning")))
  (settle)
  (setq fetches (last fetches))
  (answer (hint 0 8 "drug.right" "Eylea" "R") (hint 0 28 "acuity.right" "6/9" "R logMAR 0.18")
          (hint 1 6 "iop.right" "14" "R IOP"))
  (clinic-test-check (equal (after-strings 1) '(("  Eylea R · 6/9 R logMAR 0.18" . "I ")))
                     "line 1: its summary after two spaces, the information sign" (after-strings 1))
  (clinic-test-check (equal (after-strings 4) '(("  W Second warning (+1)" . "W ")))
                     "a warning line: the first warning by severity, then position, with the count of the others"
                     (after-strings 4))
  (clinic-test-check (null (after-strings 3)) "a blank line shows nothing" (after-strings 3))

  ;; Typing at the end of line 1 keeps the summary after the text.
  (goto-char (point-min)) (end-of-line) (insert " L 6/12")
  (clinic-test-check (equal (overlay-end (car (overlays-at (1- (point))))) (point))
                     "text typed at the end of a line stays before its summary")
  ;; A line break at the end of line 1 keeps its summary on line 1; the new line has none.
  (insert "\n")
  (clinic-test-check (and (equal (after-strings 1) '(("  Eylea R · 6/9 R logMAR 0.18" . "I ")))
                          (null (after-strings 2)))
                     "Enter at the end of a line keeps its summary there" (list (after-strings 1) (after-strings 2)))
  ;; Splitting line 1 in the middle: neither half keeps the summary.
  (goto-char (point-min)) (search-forward "given. ") (insert "\n")
  (clinic-test-check (and (null (after-strings 1)) (null (after-strings 2)))
                     "a line split in the middle loses its summary at once" (list (after-strings 1) (after-strings 2)))
  (clinic-test-check (equal (car (after-strings 4)) '("  14 R IOP" . "I ")) "the lines below move with their text"
                     (after-strings 4))
  ;; An answer to a request sent before the split would put line 2's hints on the wrong line.
  (settle)
  (let ((stale (car (last fetches))))
    (clinic-lsp-summary-set-diagnostics (current-buffer) (vector (diagnostic 1 4 3 "Right eye IOP: 14 mmHg")))
    (goto-char (point-max)) (insert "\n")
    (funcall stale (list (hint 1 6 "iop.right" "14" "R IOP")))
    (clinic-test-check (null (car (car (after-strings 2)))) "hints fetched before lines were added are not drawn"
                       (after-strings 2)))
  ;; Joining two lines drops the summary of the joined line.
  (settle)
  (setq fetches nil)
  (clinic-lsp-summary-refresh) (settle)
  (answer (hint 3 6 "iop.right" "14" "R IOP"))
  (clinic-test-check (equal (car (after-strings 4)) '("  14 R IOP" . nil)) "a fresh answer is drawn" (after-strings 4))
  (goto-char (point-min)) (forward-line 3) (delete-char -1)
  (clinic-test-check (equal (car (after-strings 3)) '("  14 R IOP" . nil))
                     "joining an empty line to a line keeps the summary on its text" (after-strings 3))
  (goto-char (point-min)) (forward-line 2) (delete-char -1)
  (clinic-test-check (null (after-strings 2)) "a line joined to the text before it loses its summary"
                     (list (buffer-string) (after-strings 2)))
  ;; Off: nothing left, margins back.
  (clinic-lsp-summary-mode -1)
  (clinic-test-check (and (null (cl-some (lambda (o) (overlay-get o 'clinic-lsp-summary)) (overlays-in (point-min) (point-max))))
                          (equal (window-margins) '(nil)))
                     "turning the mode off removes every overlay and the margin" (window-margins)))

;;;; A client that draws inlay hints itself (eglot 1.14+, lsp-mode 8.0.1+): signs and warnings only

(with-current-buffer (get-buffer-create "native")
  (switch-to-buffer (current-buffer))
  (insert "Seen today. Eylea given\nIOP 14\n")
  (setq fetches nil)
  (clinic-lsp-summary-start (lambda (callback) (push callback fetches)) t)
  (clinic-lsp-summary-set-diagnostics
   (current-buffer) (list (diagnostic 0 12 2 "Eylea: no eye given") (diagnostic 1 4 3 "Right eye IOP: 14 mmHg")))
  (settle)
  (clinic-test-check (null fetches) "with native hints nothing is fetched" fetches)
  (clinic-test-check (and (equal (after-strings 1) '(("  W Eylea: no eye given" . "W ")))
                          (equal (after-strings 2) '((nil . "I "))))
                     "with native hints: the signs and the warning, no summary of hints"
                     (list (after-strings 1) (after-strings 2))))

(kill-emacs (if (zerop clinic-test-failures) 0 1))
