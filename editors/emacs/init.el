;;; init.el --- A complete Emacs set-up for clinic notes with eglot -*- lexical-binding: t; -*-

;; emacs -q -l editors/emacs/init.el examples/*.clinic
;; Needs eglot: built into Emacs 29+, Debian package elpa-eglot before that.  To use clinic-lsp.el
;; from your own init file instead, see editors/emacs/README.md.

;;; Code:

(defvar clinic-lsp-demo-directory (file-name-directory (or load-file-name buffer-file-name))
  "Directory of this file, editors/emacs.")

(add-to-list 'load-path clinic-lsp-demo-directory)
;; Debian's elpa-eglot is compiled natively on first use; its warnings are not the clinician's business.
(setq native-comp-async-report-warnings-errors 'silent)
(require 'clinic-lsp)
(require 'eglot)
;; Send edits 0.1 s after typing stops (eglot's default: 0.5 s), so a line's summary comes within 1 s.
(setq eglot-send-changes-idle-time 0.1)

;; The server: $CLINIC_LSP, else this checkout's release or debug build, else clinic-lsp on PATH.
(setq clinic-lsp-server-command
      (list (or (let ((env (getenv "CLINIC_LSP"))) (and env (not (string-empty-p env)) env))
                (cl-loop for build in '("release" "debug")
                         for path = (expand-file-name (format "../../.build/%s/clinic-lsp" build)
                                                      clinic-lsp-demo-directory)
                         when (file-executable-p path) return path)
                "clinic-lsp")))

(add-hook 'clinic-mode-hook #'eglot-ensure)
;; Notes kept in Markdown files too: M-x eglot there starts clinic-lsp.
(clinic-lsp-attach-to-modes '(markdown-mode))

;;; init.el ends here
