;;; test-emacs-eglot.el --- clinic-lsp.el + eglot in a batch Emacs, as a clinician would use them -*- lexical-binding: t; -*-

;; Run by test-emacs-eglot after the shipped editors/emacs/init.el.  Environment: CLINIC_LSP (server
;; binary, which init.el picks up), CLINIC_NOTE (a copy of fixtures/visit.clinic), CLINIC_TEST_MODEL
;; (1 when the trained model is there).

(require 'cl-lib)

(defvar clinic-test-failures 0)
(defvar clinic-test-model (equal (getenv "CLINIC_TEST_MODEL") "1"))

(defun clinic-test-check (ok what &optional detail)
  "Report check WHAT; OK non-nil when it passed.  DETAIL is shown on failure."
  (if ok
      (message "ok - %s" what)
    (setq clinic-test-failures (1+ clinic-test-failures))
    (message "not ok - %s%s" what (if detail (format "\n    got: %S" detail) ""))))

(defun clinic-test-wait (pred seconds)
  "Wait up to SECONDS for PRED, serving the server's messages meanwhile."
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (funcall pred)))

(defun clinic-test-diagnostics ()
  "The flymake diagnostics as (LINE . TEXT), sorted."
  (sort (mapcar (lambda (d) (cons (line-number-at-pos (flymake-diagnostic-beg d))
                                  (flymake-diagnostic-text d)))
                (flymake-diagnostics))
        (lambda (a b) (< (car a) (car b)))))

(defun clinic-test-diagnostic-on (line regexp)
  (cl-some (lambda (d) (and (= (car d) line) (let ((case-fold-search t))
                                                (string-match-p regexp (cdr d)))))
           (clinic-test-diagnostics)))

(defun clinic-test-goto (line text)
  (goto-char (point-min))
  (forward-line (1- line))
  (search-forward text (line-end-position))
  (goto-char (match-beginning 0)))

(defun clinic-test-hover ()
  "What eldoc shows for point: eglot's hover text, or nil."
  (let (info)
    (eglot-hover-eldoc-function (lambda (doc &rest _) (setq info (or doc 'none))))
    (clinic-test-wait (lambda () info) 10)
    (and (stringp info) (substring-no-properties info))))

;; A setting the clinician can see: summaries as JSON.
(setq clinic-lsp-settings '(:summaryFormat "json"))
(setq eglot-sync-connect t)
(clinic-test-check (equal clinic-lsp-server-command (list (getenv "CLINIC_LSP")))
                   "init.el takes the server from $CLINIC_LSP" clinic-lsp-server-command)

(find-file (getenv "CLINIC_NOTE"))
(clinic-test-check (eq major-mode 'clinic-mode) "*.clinic opens in clinic-mode" major-mode)
(font-lock-ensure)
(clinic-test-goto 1 "Eylea")
(clinic-test-check (eq (get-text-property (point) 'face) 'clinic-lsp-drug-face) "Eylea is highlighted as a drug"
                   (get-text-property (point) 'face))
(clinic-test-goto 2 "4/52")
(clinic-test-check (eq (get-text-property (point) 'face) 'clinic-lsp-not-acuity-face)
                   "rev 4/52 is not highlighted as an acuity" (get-text-property (point) 'face))

;; init.el's eglot-ensure connects when the command that opened the note finishes.
(run-hooks 'post-command-hook)
(clinic-test-check (eglot-current-server) "eglot started clinic-lsp on opening the note")


(defun clinic-test-summary-on (line)
  "The line summary drawn after LINE (1-based), without properties, or nil."
  (save-excursion
    (goto-char (point-min))
    (forward-line (1- line))
    (cl-some (lambda (o) (and (overlay-get o 'clinic-lsp-summary) (overlay-get o 'after-string)
                              (substring-no-properties (overlay-get o 'after-string))))
             (overlays-in (line-beginning-position) (line-end-position)))))

(clinic-test-wait (lambda () (clinic-test-diagnostic-on 2 "review")) 20)
(clinic-test-wait (lambda () (clinic-test-summary-on 2)) 10)
(clinic-test-check (equal (clinic-test-summary-on 2) "  14 R IOP · 16 L IOP · 4/52 review 4 weeks")
                   (if (fboundp 'eglot-inlay-hints-mode) "eglot 1.14+ draws the hints, the summary mode the rest"
                     "eglot before 1.14 has no inlay hints: clinic-lsp-summary-mode draws line 2's")
                   (clinic-test-summary-on 2))
(message "diagnostics:\n%s" (mapconcat (lambda (d) (format "  line %d: %s" (car d) (cdr d)))
                                       (clinic-test-diagnostics) "\n"))
(clinic-test-check (clinic-test-diagnostic-on 2 "iop\\.right.*14") "right IOP 14 reported on line 2"
                   (clinic-test-diagnostics))
(clinic-test-check (clinic-test-diagnostic-on 2 "iop\\.left.*16") "left IOP 16 reported on line 2")
(clinic-test-check (clinic-test-diagnostic-on 2 "review.*4 weeks") "review in 4 weeks reported on line 2")
(clinic-test-check (clinic-test-diagnostic-on 2 "^clinic-lsp") "diagnostics come from clinic-lsp")
(if (not clinic-test-model)
    (message "skipped (no model): drug and acuity diagnostics, hover on the drug")
  (clinic-test-check (clinic-test-diagnostic-on 1 "drug\\.right.*eylea.*aflibercept")
                     "right eye drug Eylea (aflibercept) reported on line 1")
  (clinic-test-check (clinic-test-diagnostic-on 1 "acuity\\.right.*6/9") "right acuity 6/9 reported on line 1")
  (clinic-test-check (clinic-test-diagnostic-on 1 "acuity\\.left.*6/12") "left acuity 6/12 reported on line 1"))

(clinic-test-goto 1 "Eylea")
(let ((hover (clinic-test-hover)))
  (message "hover:\n%s" hover)
  (clinic-test-check (and hover (string-match-p "IOP.*14" hover)) "hover shows the note's IOP" hover)
  (when clinic-test-model
    (clinic-test-check (and hover (string-match-p "aflibercept" hover)) "hover shows the drug" hover)))

(let ((before (buffer-string)))
  (clinic-test-goto 1 "VA")
  (clinic-lsp-insert-summary)
  (let ((after (buffer-string)))
    (message "after \"Insert structured summary\":\n%s" after)
    (clinic-test-check (> (length after) (length before)) "the summary was inserted")
    (clinic-test-check (string-match-p (regexp-quote (car (split-string before "\n\n"))) after)
                       "the clinician's text is unchanged")
    (clinic-test-check (string-match-p "14" (substring after (length (car (split-string before "\n\n")))))
                       "the summary carries the note's values")
    (clinic-test-check (string-match-p "\\`\n{.*\"iop\\.right\":{" (substring after (length (car (split-string before "\n\n")))))
                       "clinic-lsp-settings reached the server: the summary is JSON")
    (when clinic-test-model
      (clinic-test-check (string-match-p "aflibercept\\|Eylea" (substring after (length (car (split-string before "\n\n")))))
                         "the summary names the drug"))))

(let ((before (buffer-string)))
  (clinic-test-goto 1 "VA")
  (clinic-lsp-insert-all-summaries)
  (clinic-test-check (save-excursion
                       (goto-char (point-min))
                       (and (search-forward "IOP 15/17" nil t)
                            (zerop (forward-line 1))
                            (string-match-p "17" (buffer-substring (point) (line-end-position)))))
                     "\"Insert summaries for all notes\" put one under the second note"
                     (buffer-string))
  (clinic-test-check (not (equal before (buffer-string))) "all-notes action edited the buffer"))

(set-buffer-modified-p nil)
(ignore-errors (eglot-shutdown (eglot-current-server)))
(clinic-test-check (not clinic-lsp-summary-mode) "shutting eglot down removes the line summaries")
(kill-emacs (if (zerop clinic-test-failures) 0 1))
