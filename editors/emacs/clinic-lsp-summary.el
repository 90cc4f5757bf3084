;;; clinic-lsp-summary.el --- One summary per finding line, for Emacs clients without inlay hints -*- lexical-binding: t; -*-

;; This file is not part of GNU Emacs.

;;; Commentary:

;; eglot before 1.14 and lsp-mode before 8.0.1 draw no inlay hints.  `clinic-lsp-summary-mode' draws
;; the server's textDocument/inlayHint results itself, as the Neovim and Vim configurations do: after
;; each finding line, dim, "Eylea R · 6/9 R logMAR 0.18" (drugs, then acuities, then the rest), after
;; the line's most severe warning, cut with … to the window width; and a sign in a two-column left
;; margin, "E"/"W"/"I" in their own faces, so warnings stand apart from findings in any terminal.
;; clinic-lsp.el starts it with eglot or lsp-mode; the client gives it a function that fetches the
;; hints (`clinic-lsp-summary-start') and hands it the server's diagnostics.

;;; Code:

(require 'cl-lib)
(require 'subr-x)

(defgroup clinic-lsp-summary nil
  "Line summaries of clinic-lsp's findings."
  :group 'clinic-lsp
  :prefix "clinic-lsp-summary-")

(defface clinic-lsp-hint-face
  '((((class color) (min-colors 88)) :foreground "#8a8a8a")
    (((class color) (min-colors 8)) :foreground "blue")
    (t :slant italic))
  "Face of the line summaries: the server's inlay hints.")

(defface clinic-lsp-warning-face
  '((((class color) (min-colors 88)) :foreground "#d7af00" :weight bold)
    (((class color) (min-colors 8)) :foreground "yellow" :weight bold)
    (t :inverse-video t))
  "Face of a warning in a line summary, and of the warning sign.")

(defface clinic-lsp-error-face
  '((((class color) (min-colors 88)) :foreground "#d75f5f" :weight bold)
    (((class color) (min-colors 8)) :foreground "red" :weight bold)
    (t :inverse-video t :weight bold))
  "Face of an error in a line summary, and of the error sign.")

(defface clinic-lsp-info-sign-face
  '((((class color) (min-colors 88)) :foreground "#5fafd7")
    (((class color) (min-colors 8)) :foreground "cyan")
    (t nil))
  "Face of the sign of a line with findings only.")

(defcustom clinic-lsp-summary-delay 0.05
  "Seconds after a change or a server notice before the hints are fetched."
  :type 'number)

(defconst clinic-lsp-summary--signs
  '((1 "E " clinic-lsp-error-face) (2 "W " clinic-lsp-warning-face)
    (3 "I " clinic-lsp-info-sign-face) (4 "I " clinic-lsp-info-sign-face))
  "By LSP severity: the margin sign and its face.")

(defvar clinic-lsp-summary-mode)

(defvar-local clinic-lsp-summary--fetch nil
  "Function of a callback that asks the server for the buffer's inlay hints.")
(defvar-local clinic-lsp-summary--hints-only-native nil
  "Non-nil when the client draws inlay hints: only signs and warnings are drawn.")
(defvar-local clinic-lsp-summary--hints nil
  "The last hints, as (LINE CHARACTER RANK WORDS LABEL).")
(defvar-local clinic-lsp-summary--hints-generation -1
  "The `clinic-lsp-summary--generation' of the hints.")
(defvar-local clinic-lsp-summary--diagnostics nil
  "The last diagnostics, as (LINE SEVERITY COLUMN MESSAGE).")
(defvar-local clinic-lsp-summary--diagnostics-generation -1
  "The `clinic-lsp-summary--generation' of the diagnostics.")
(defvar-local clinic-lsp-summary--generation 0
  "Counts the edits that added or removed lines.
Hints and diagnostics fetched before such an edit no longer fit the lines.")
(defvar-local clinic-lsp-summary--joining nil
  "Non-nil while a change deletes a line break.")
(defvar-local clinic-lsp-summary--timer nil)
(defvar-local clinic-lsp-summary--overlays nil)

;;;; LSP objects: plists (eglot, lsp-mode with plists) or hash tables (lsp-mode)

(defun clinic-lsp-summary--get (object &rest keys)
  "The member of OBJECT at KEYS (strings), through nested objects, or nil."
  (dolist (key keys object)
    (setq object (cond ((hash-table-p object) (gethash key object))
                       ((and (consp object) (keywordp (car object)))
                        (plist-get object (intern (concat ":" key))))
                       (t nil)))))

(defun clinic-lsp-summary--integer (value)
  "VALUE when it is a non-negative integer, else nil."
  (and (natnump value) value))

(defun clinic-lsp-summary--label (hint)
  "HINT's label as a string: a string label, or the values of its parts."
  (let ((label (clinic-lsp-summary--get hint "label")))
    (string-trim
     (cond ((stringp label) label)
           ((or (vectorp label) (listp label))
            (mapconcat (lambda (part)
                         (let ((value (clinic-lsp-summary--get part "value")))
                           (if (stringp value) value "")))
                       label ""))
           (t "")))))

(defun clinic-lsp-summary--rank (field)
  "0 for drug fields, 1 for acuities, 2 for the rest."
  (cond ((not (stringp field)) 2)
        ((string-prefix-p "drug" field) 0)
        ((string-prefix-p "acuity" field) 1)
        (t 2)))

(defun clinic-lsp-summary--read-hint (hint)
  "HINT from the wire as (LINE CHARACTER RANK WORDS LABEL), nil if malformed."
  (let ((line (clinic-lsp-summary--integer (clinic-lsp-summary--get hint "position" "line")))
        (character (clinic-lsp-summary--integer (clinic-lsp-summary--get hint "position" "character")))
        (words (clinic-lsp-summary--get hint "data" "text"))
        (label (clinic-lsp-summary--label hint)))
    (when (and line character (not (string-empty-p label)))
      (list line character (clinic-lsp-summary--rank (clinic-lsp-summary--get hint "data" "field"))
            (and (stringp words) words) label))))

(defun clinic-lsp-summary--read-diagnostic (diagnostic)
  "DIAGNOSTIC from the wire as (LINE SEVERITY COLUMN MESSAGE), nil if malformed."
  (let ((line (clinic-lsp-summary--integer (clinic-lsp-summary--get diagnostic "range" "start" "line")))
        (column (or (clinic-lsp-summary--integer
                     (clinic-lsp-summary--get diagnostic "range" "start" "character"))
                    0))
        (severity (clinic-lsp-summary--get diagnostic "severity"))
        (message (clinic-lsp-summary--get diagnostic "message")))
    (when (and line (stringp message))
      (list line (if (memq severity '(1 2 3 4)) severity 1) column message))))

;;;; The summary of one line

(defun clinic-lsp-summary--words-before (text from to)
  "The word of TEXT that ends at column TO, not before FROM.
Without leading punctuation.  For servers that do not name the words
a hint follows."
  (let* ((to (min to (length text)))
         (from (min from to))
         (before (substring text from to)))
    (if (string-match "\\([^ \t]+\\)\\'" before)
        (replace-regexp-in-string "\\`[[:punct:]]+" "" (match-string 1 before))
      "")))

(defun clinic-lsp-summary-line (hints text)
  "The summary of HINTS, read hints of one line whose text is TEXT.
\"Eylea R · 6/9 R logMAR 0.18\": each hint after the words it follows,
drugs first, then acuities, then the rest; the same words twice
\(\"OU vabysmo\") are written once, \"vabysmo R L\"; a full-style label
\(\"Right eye IOP: 14 mmHg\") names its field already and stands alone."
  (let ((previous 0) worded items last-words)
    (dolist (hint (sort (copy-sequence hints) (lambda (a b) (< (nth 1 a) (nth 1 b)))))
      (let ((words (or (nth 3 hint) (clinic-lsp-summary--words-before text previous (nth 1 hint)))))
        (setq previous (nth 1 hint))
        (push (list (nth 2 hint) (nth 1 hint) words (nth 4 hint)) worded)))
    (dolist (hint (sort (nreverse worded)
                        (lambda (a b) (or (< (car a) (car b))
                                          (and (= (car a) (car b)) (< (nth 1 a) (nth 1 b)))))))
      (let ((words (nth 2 hint)) (label (nth 3 hint)))
        (cond ((or (string-match-p ": " label) (string-empty-p words)) (push label items))
              ((and items (equal words last-words)) (setcar items (concat (car items) " " label)))
              (t (push (concat words " " label) items)))
        (setq last-words words)))
    (string-join (nreverse items) " · ")))

(defun clinic-lsp-summary--fit (chunks width)
  "CHUNKS, a list of (TEXT . FACE), cut to WIDTH columns.
Where something was cut they end in …."
  (let ((used 0) out)
    (catch 'full
      (dolist (chunk chunks)
        (let ((w (string-width (car chunk))))
          (if (<= (+ used w) width)
              (progn (push chunk out) (setq used (+ used w)))
            (let ((keep (- width used 1)))
              (when (>= keep 0)
                (push (cons (concat (string-trim-right (truncate-string-to-width (car chunk) keep)) "…")
                            (cdr chunk))
                      out)))
            (throw 'full nil)))))
    (nreverse out)))

(defun clinic-lsp-summary--room (text)
  "Columns left after TEXT, a line, on its last row in a window of the buffer."
  (let ((window (get-buffer-window (current-buffer) t)))
    (if (not window)
        1000
      (let ((width (window-max-chars-per-line window))
            (used (string-width text)))
        (when (and (> used 0) (not truncate-lines) (> width 0))
          (setq used (1+ (mod (1- used) width))))
        (- width used)))))

(defun clinic-lsp-summary--after-string (hints diagnostics text)
  "What follows TEXT on its line.
The worst of its warnings among DIAGNOSTICS, then the summary of HINTS."
  (let* ((warnings (sort (cl-remove-if (lambda (d) (> (nth 1 d) 2)) (copy-sequence diagnostics))
                         (lambda (a b) (or (< (nth 1 a) (nth 1 b))
                                           (and (= (nth 1 a) (nth 1 b)) (< (nth 2 a) (nth 2 b)))))))
         (worst (car warnings))
         (summary (clinic-lsp-summary-line hints text))
         chunks)
    (when worst
      (push (cons (format "%s%s%s" (car (alist-get (nth 1 worst) clinic-lsp-summary--signs))
                          (car (split-string (nth 3 worst) "\n"))
                          (if (cdr warnings) (format " (+%d)" (length (cdr warnings))) ""))
                  (cadr (alist-get (nth 1 worst) clinic-lsp-summary--signs)))
            chunks))
    (unless (string-empty-p summary)
      (when worst (push (cons " │ " 'clinic-lsp-hint-face) chunks))
      (push (cons summary 'clinic-lsp-hint-face) chunks))
    (let ((fitted (clinic-lsp-summary--fit (nreverse chunks) (- (clinic-lsp-summary--room text) 2))))
      (when fitted
        (apply #'concat "  " (mapcar (lambda (c) (propertize (car c) 'face (cdr c))) fitted))))))

(defun clinic-lsp-summary--sign (diagnostics)
  "The margin sign of a line with DIAGNOSTICS: the most severe one's."
  (when diagnostics
    (let ((sign (alist-get (apply #'min (mapcar #'cadr diagnostics)) clinic-lsp-summary--signs)))
      (propertize " " 'display `((margin left-margin) ,(propertize (car sign) 'face (cadr sign)))))))

;;;; Drawing

(defun clinic-lsp-summary--clear ()
  (mapc #'delete-overlay clinic-lsp-summary--overlays)
  (setq clinic-lsp-summary--overlays nil))

(defun clinic-lsp-summary--group (items)
  "ITEMS (lists whose car is a line) grouped as an alist LINE -> items."
  (let (groups)
    (dolist (item items)
      (push item (alist-get (car item) groups)))
    (dolist (group groups groups)
      (setcdr group (nreverse (cdr group))))))

(defun clinic-lsp-summary-render ()
  "Draw every line's sign and summary.
From the last hints and diagnostics that still fit the lines."
  (let* ((fresh (lambda (generation) (= generation clinic-lsp-summary--generation)))
         (hints (and (not clinic-lsp-summary--hints-only-native)
                     (funcall fresh clinic-lsp-summary--hints-generation)
                     (clinic-lsp-summary--group clinic-lsp-summary--hints)))
         (diagnostics (and (funcall fresh clinic-lsp-summary--diagnostics-generation)
                           (clinic-lsp-summary--group clinic-lsp-summary--diagnostics)))
         (lines (delete-dups (append (mapcar #'car hints) (mapcar #'car diagnostics))))
         (last-line (1- (line-number-at-pos (point-max) t))))
    (clinic-lsp-summary--clear)
    (save-excursion
      (save-restriction
        (widen)
        (dolist (line lines)
          (when (<= line last-line)
            (goto-char (point-min))
            (forward-line line)
            (let* ((bol (line-beginning-position)) (eol (line-end-position))
                   (text (buffer-substring-no-properties bol eol))
                   (after (clinic-lsp-summary--after-string (alist-get line hints)
                                                            (alist-get line diagnostics) text))
                   (sign (clinic-lsp-summary--sign (alist-get line diagnostics))))
              (when (and (< bol eol) (or after sign))
                ;; Typing at the end of the line grows the overlay, so the summary stays after the text.
                (let ((overlay (make-overlay bol eol nil nil t)))
                  (overlay-put overlay 'clinic-lsp-summary t)
                  (overlay-put overlay 'evaporate t)
                  (when after (overlay-put overlay 'after-string after))
                  (when sign (overlay-put overlay 'before-string sign))
                  (push overlay clinic-lsp-summary--overlays))))))))))

(defun clinic-lsp-summary--clamp (position)
  "POSITION within the buffer: combined change calls can report a wider region."
  (max (point-min) (min position (point-max))))

(defun clinic-lsp-summary--drop (overlay)
  (delete-overlay overlay)
  (setq clinic-lsp-summary--overlays (delq overlay clinic-lsp-summary--overlays)))

(defun clinic-lsp-summary--before-change (beg end)
  (save-restriction
    (widen)
    (let ((beg (clinic-lsp-summary--clamp beg)) (end (clinic-lsp-summary--clamp end)))
      (setq clinic-lsp-summary--joining
            (save-excursion (goto-char (min beg end)) (search-forward "\n" (max beg end) t))))))

(defun clinic-lsp-summary--after-change (beg end _length)
  "Where lines were split, joined or deleted, drop their summaries.
The others move with their text; a line break typed at the end or the
start of a line keeps its summary.  BEG and END are the changed text.
Eglot 1.9 applies edits narrowed to their old region, hence the widening."
  (save-restriction
    (widen)
    (clinic-lsp-summary--after-change-1 beg end)))

(defun clinic-lsp-summary--after-change-1 (beg end)
  (let* ((beg (clinic-lsp-summary--clamp beg))
         (end (max beg (clinic-lsp-summary--clamp end)))
         (inserted (buffer-substring-no-properties beg end)))
    (when (or clinic-lsp-summary--joining (string-match-p "\n" inserted))
      (setq clinic-lsp-summary--generation (1+ clinic-lsp-summary--generation))
      (dolist (overlay (overlays-in (save-excursion (goto-char beg) (line-beginning-position))
                                    (save-excursion (goto-char end) (line-end-position))))
        (when (overlay-get overlay 'clinic-lsp-summary)
          (let ((start (overlay-start overlay)) (stop (overlay-end overlay)))
            (cond ((string-match-p "\n" (buffer-substring-no-properties start stop))
                   (cond ((and (= stop end) (< start beg) (string-prefix-p "\n" inserted))
                          (move-overlay overlay start beg))
                         ((and (= start beg) (string-suffix-p "\n" inserted) (< end stop))
                          (move-overlay overlay end stop))
                         (t (clinic-lsp-summary--drop overlay))))
                  ;; A joined line keeps a summary only where its text is all the summary's line.
                  ((and clinic-lsp-summary--joining
                        (not (and (= start (save-excursion (goto-char start) (line-beginning-position)))
                                  (= stop (save-excursion (goto-char start) (line-end-position))))))
                   (clinic-lsp-summary--drop overlay)))))))
    (setq clinic-lsp-summary--joining nil)
    (clinic-lsp-summary-refresh)))

;;;; Fetching

(defun clinic-lsp-summary--fetch-now (buffer)
  (when (buffer-live-p buffer)
    (with-current-buffer buffer
      (when (and clinic-lsp-summary-mode clinic-lsp-summary--fetch)
        (if clinic-lsp-summary--hints-only-native
            (clinic-lsp-summary-render)
          (let ((generation clinic-lsp-summary--generation))
            (funcall clinic-lsp-summary--fetch
                     (lambda (hints)
                       (when (buffer-live-p buffer)
                         (with-current-buffer buffer
                           (if (/= generation clinic-lsp-summary--generation)
                               ;; Lines came or went meanwhile: these hints would sit on the wrong lines.
                               (clinic-lsp-summary-refresh)
                             (setq clinic-lsp-summary--hints
                                   (delq nil (mapcar #'clinic-lsp-summary--read-hint hints))
                                   clinic-lsp-summary--hints-generation generation)
                             (clinic-lsp-summary-render))))))))))))

(defun clinic-lsp-summary-refresh (&optional buffer)
  "Fetch BUFFER's hints (by default the current buffer's) shortly.
Once for a burst of calls."
  (with-current-buffer (or buffer (current-buffer))
    (when clinic-lsp-summary-mode
      (when (timerp clinic-lsp-summary--timer) (cancel-timer clinic-lsp-summary--timer))
      (setq clinic-lsp-summary--timer
            (run-with-timer clinic-lsp-summary-delay nil #'clinic-lsp-summary--fetch-now (current-buffer))))))

(defun clinic-lsp-summary-refresh-all ()
  "Fetch the hints of every buffer in `clinic-lsp-summary-mode'.
The answer to the server's workspace/inlayHint/refresh."
  (dolist (buffer (buffer-list))
    (when (buffer-local-value 'clinic-lsp-summary-mode buffer)
      (clinic-lsp-summary-refresh buffer))))

(defun clinic-lsp-summary-set-diagnostics (buffer diagnostics)
  "The server published DIAGNOSTICS (a sequence of LSP diagnostics) for BUFFER."
  (when (buffer-live-p buffer)
    (with-current-buffer buffer
      (when clinic-lsp-summary-mode
        (setq clinic-lsp-summary--diagnostics
              (delq nil (mapcar #'clinic-lsp-summary--read-diagnostic diagnostics))
              clinic-lsp-summary--diagnostics-generation clinic-lsp-summary--generation)
        (clinic-lsp-summary-render)
        (clinic-lsp-summary-refresh)))))

;;;; The mode

(defun clinic-lsp-summary--set-margins (width)
  (setq left-margin-width width)
  (dolist (window (get-buffer-window-list (current-buffer) nil t))
    (set-window-margins window width (cdr (window-margins window)))))

(defun clinic-lsp-summary--window-changed (&rest _)
  (when clinic-lsp-summary-mode (clinic-lsp-summary-render)))

(define-minor-mode clinic-lsp-summary-mode
  "Draw clinic-lsp's findings on each line.
A margin sign, and a dim summary after the text.
Started by `clinic-lsp-summary-start'."
  :lighter nil
  (if clinic-lsp-summary-mode
      (progn
        (clinic-lsp-summary--set-margins 2)
        (add-hook 'before-change-functions #'clinic-lsp-summary--before-change nil t)
        (add-hook 'after-change-functions #'clinic-lsp-summary--after-change nil t)
        (add-hook 'window-size-change-functions #'clinic-lsp-summary--window-changed nil t)
        (add-hook 'window-configuration-change-hook #'clinic-lsp-summary--window-changed nil t))
    (remove-hook 'before-change-functions #'clinic-lsp-summary--before-change t)
    (remove-hook 'after-change-functions #'clinic-lsp-summary--after-change t)
    (remove-hook 'window-size-change-functions #'clinic-lsp-summary--window-changed t)
    (remove-hook 'window-configuration-change-hook #'clinic-lsp-summary--window-changed t)
    (when (timerp clinic-lsp-summary--timer) (cancel-timer clinic-lsp-summary--timer))
    (clinic-lsp-summary--clear)
    (clinic-lsp-summary--set-margins nil)))

(defun clinic-lsp-summary-start (fetch &optional native-hints)
  "Draw line summaries in this buffer; FETCH asks the server for the hints.
FETCH is called with a callback that takes the buffer's inlay hints.
With NATIVE-HINTS non-nil the client draws the hints: only signs and
warnings are drawn."
  (setq clinic-lsp-summary--fetch fetch
        clinic-lsp-summary--hints-only-native native-hints)
  (clinic-lsp-summary-mode 1)
  (clinic-lsp-summary-refresh))

(provide 'clinic-lsp-summary)
;;; clinic-lsp-summary.el ends here
