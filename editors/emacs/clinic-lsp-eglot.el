;;; clinic-lsp-eglot.el --- Eglot's connection class for clinic-lsp -*- lexical-binding: t; -*-

;; This file is not part of GNU Emacs.

;;; Commentary:

;; Loaded by clinic-lsp.el once eglot is.  Eglot before 1.14 has no inlay hints: this class
;; declares workspace/inlayHint/refresh to the server, answers it, and hands the published
;; diagnostics to `clinic-lsp-summary-mode' as well as to flymake.

;;; Code:

(require 'eglot)
(require 'clinic-lsp-summary)

(defclass clinic-lsp--eglot-server (eglot-lsp-server) ()
  :documentation "Eglot's connection to clinic-lsp.")

(cl-defmethod eglot-client-capabilities ((_server clinic-lsp--eglot-server))
  "Eglot's capabilities, and the refresh of inlay hints where eglot has none."
  (let* ((capabilities (cl-call-next-method))
         (workspace (plist-get capabilities :workspace)))
    (if (plist-member workspace :inlayHint)
        capabilities
      (plist-put capabilities :workspace (plist-put workspace :inlayHint (list :refreshSupport t))))))

(cl-defmethod eglot-handle-request ((_server clinic-lsp--eglot-server)
                                    (_method (eql 'workspace/inlayHint/refresh)) &rest _)
  "The server has new hints: fetch them.
An eglot that draws hints itself refreshes its own."
  (clinic-lsp-summary-refresh-all)
  (cl-call-next-method))

(cl-defmethod eglot-handle-notification :after ((_server clinic-lsp--eglot-server)
                                                (_method (eql 'textDocument/publishDiagnostics))
                                                &key uri diagnostics &allow-other-keys)
  "Hand the DIAGNOSTICS of URI to the line summaries too."
  (let ((buffer (find-buffer-visiting (eglot--uri-to-path uri))))
    (when buffer (clinic-lsp-summary-set-diagnostics buffer diagnostics))))

(provide 'clinic-lsp-eglot)
;;; clinic-lsp-eglot.el ends here
