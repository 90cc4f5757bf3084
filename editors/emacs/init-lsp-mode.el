;;; init-lsp-mode.el --- A complete Emacs set-up for clinic notes with lsp-mode -*- lexical-binding: t; -*-

;; emacs -q -l editors/emacs/init-lsp-mode.el examples/*.clinic
;; Needs lsp-mode (Debian: elpa-lsp-mode).  The same lines work in your own init file, with the
;; paths changed; see editors/emacs/README.md.

;;; Code:

;; Packages from Debian's elpa-* or from M-x package-install; under -q nothing else loads them.
(require 'package)
(package-initialize)
;; Debian's lsp-mode is compiled natively on first use; its warnings are not the clinician's business.
(setq native-comp-async-report-warnings-errors 'silent)

(defvar clinic-lsp-demo-directory (file-name-directory (or load-file-name buffer-file-name))
  "Directory of this file, editors/emacs.")
(add-to-list 'load-path clinic-lsp-demo-directory)
(require 'lsp-mode)
(require 'clinic-lsp)

;; The server: $CLINIC_LSP, else this checkout's release or debug build, else clinic-lsp on PATH.
(setq clinic-lsp-server-command
      (list (or (let ((env (getenv "CLINIC_LSP"))) (and env (not (string-empty-p env)) env))
                (cl-loop for build in '("release" "debug")
                         for path = (expand-file-name (format "../../.build/%s/clinic-lsp" build)
                                                      clinic-lsp-demo-directory)
                         when (file-executable-p path) return path)
                "clinic-lsp")))

;; The server's outline (one symbol per note) is in M-x imenu; the breadcrumb header line keeps to the
;; file, since the note at point would only repeat the note's first line under it.
(setq lsp-headerline-breadcrumb-segments '(path-up-to-project file))

;; A note outside any project gets its folder as lsp-mode's workspace instead of a question.
(add-hook 'clinic-mode-hook #'clinic-lsp-lsp-deferred)

;;; init-lsp-mode.el ends here
