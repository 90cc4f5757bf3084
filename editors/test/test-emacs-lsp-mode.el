;;; test-emacs-lsp-mode.el --- clinic-lsp.el + lsp-mode in a batch Emacs -*- lexical-binding: t; -*-

;; Run by test-emacs-lsp-mode.  Environment: CLINIC_LSP, CLINIC_NOTE, CLINIC_REPO, CLINIC_TEST_MODEL.

(require 'cl-lib)
;; As the README's set-up does: the autoloads of lsp-mode's other files (lsp-modeline, ...).
(require 'package)
(package-initialize)
(require 'lsp-mode)
(add-to-list 'load-path (expand-file-name "editors/emacs" (getenv "CLINIC_REPO")))
(require 'clinic-lsp)

(defvar clinic-test-failures 0)
(defvar clinic-test-model (equal (getenv "CLINIC_TEST_MODEL") "1"))
(defun clinic-test-check (ok what &optional detail)
  (if ok (message "ok - %s" what)
    (setq clinic-test-failures (1+ clinic-test-failures))
    (message "not ok - %s%s" what (if detail (format "\n    got: %S" detail) ""))))
(defun clinic-test-wait (pred seconds)
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (funcall pred)))

(setq clinic-lsp-server-command (list (getenv "CLINIC_LSP"))
      lsp-session-file (expand-file-name "lsp-session" (getenv "HOME"))
      lsp-keep-workspace-alive nil
      lsp-enable-file-watchers nil
      lsp-diagnostics-provider :none
      lsp-modeline-code-actions-enable nil
      lsp-headerline-breadcrumb-enable nil)

(find-file (getenv "CLINIC_NOTE"))
(lsp-workspace-folders-add (file-name-directory (getenv "CLINIC_NOTE")))
(lsp)
(clinic-test-wait (lambda () (and (lsp-workspaces) (eq (lsp--workspace-status (car (lsp-workspaces))) 'initialized))) 15)
(clinic-test-check (equal (mapcar #'lsp--workspace-server-id (lsp-workspaces)) '(clinic-lsp))
                   "lsp-mode started the clinic-lsp client" (lsp-workspaces))

(defun clinic-test-diagnostics ()
  (mapcar (lambda (d)
            (cons (1+ (lsp:position-line (lsp:range-start (lsp:diagnostic-range d))))
                  (format "[%s] %s" (lsp:diagnostic-code? d) (lsp:diagnostic-message d))))
          (gethash (lsp--fix-path-casing buffer-file-name) (lsp-diagnostics t))))
(defun clinic-test-diagnostic-on (line regexp)
  (cl-some (lambda (d) (and (= (car d) line) (let ((case-fold-search t)) (string-match-p regexp (cdr d)))))
           (clinic-test-diagnostics)))


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
                   "lsp-mode 8.0 has no inlay hints: clinic-lsp-summary-mode draws line 2's" (clinic-test-summary-on 2))
(message "diagnostics:\n%s" (mapconcat (lambda (d) (format "  line %d: %s" (car d) (cdr d)))
                                       (clinic-test-diagnostics) "\n"))
(clinic-test-check (clinic-test-diagnostic-on 2 "iop\\.right.*14") "right IOP 14 reported on line 2")
(clinic-test-check (clinic-test-diagnostic-on 2 "review.*4 weeks") "review in 4 weeks reported on line 2")
(when clinic-test-model
  (clinic-test-check (clinic-test-diagnostic-on 1 "drug\\.right.*aflibercept") "right eye drug on line 1"))

(let ((before (buffer-size)))
  (goto-char (point-min))
  (search-forward "VA")
  (clinic-lsp-insert-summary)
  (clinic-test-wait (lambda () (> (buffer-size) before)) 10)
  (message "after C-c C-s:\n%s" (buffer-string))
  (clinic-test-check (> (buffer-size) before) "C-c C-s inserted the summary")
  (goto-char (point-min))
  (forward-line 2)
  (clinic-test-check (string-match-p "14" (buffer-substring (point) (line-end-position)))
                     "the summary follows the note and carries its IOP"))

(set-buffer-modified-p nil)
(ignore-errors (lsp-workspace-shutdown (car (lsp-workspaces))))
(clinic-test-wait (lambda () (not clinic-lsp-summary-mode)) 5)
(clinic-test-check (not clinic-lsp-summary-mode) "shutting the server down removes the line summaries")
(kill-emacs (if (zerop clinic-test-failures) 0 1))
