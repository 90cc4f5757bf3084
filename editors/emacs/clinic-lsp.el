;;; clinic-lsp.el --- Ophthalmology clinic notes with the clinic-lsp language server -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1"))
;; Keywords: languages, tools
;; URL: https://github.com/clinic-lsp/clinic-lsp

;; This file is not part of GNU Emacs.

;;; Commentary:

;; `clinic-mode' is a major mode for ophthalmology clinic notes (*.clinic).
;; It highlights laterality markers, injected drugs, visual acuities and the
;; look-alikes that are not acuities (review intervals, IOP pairs).
;;
;; The mode registers the clinic-lsp language server with eglot and with
;; lsp-mode, whichever is installed.  Start it with M-x eglot or M-x lsp, or
;; automatically:
;;
;;   (add-hook 'clinic-mode-hook #'eglot-ensure)   ; or #'lsp-deferred
;;
;; To read clinic notes kept in plain text or Markdown buffers as well:
;;
;;   (clinic-lsp-attach-to-modes '(text-mode markdown-mode))
;;
;; `clinic-lsp-insert-summary' (C-c C-s) inserts the structured summary of the
;; note at point, `clinic-lsp-insert-all-summaries' (C-c C-a) those of every
;; note; both run the server's code actions, so they work in either client.
;;
;; With eglot before 1.14 and lsp-mode before 8.0.1, which draw no inlay hints,
;; `clinic-lsp-summary-mode' (clinic-lsp-summary.el) draws them after each line;
;; newer clients draw them natively.  Either way a margin sign tells warnings
;; (W) from findings (I), and the echo area shows one line of the hover
;; (C-c C-h shows all of it).

;;; Code:

(require 'cl-lib)
(require 'subr-x)
(require 'eieio)
(require 'clinic-lsp-summary)

(defgroup clinic-lsp nil
  "Ophthalmology clinic notes read by the clinic-lsp language server."
  :group 'languages
  :prefix "clinic-lsp-")

(defcustom clinic-lsp-server-command '("clinic-lsp")
  "Command that starts the language server, as a list of strings.
The first element is the program; the server speaks LSP over stdio
when run without arguments.  Use an absolute path when the binary is
not on `exec-path', e.g. (\"~/clinic-lsp/.build/release/clinic-lsp\")."
  :type '(repeat string))

(defcustom clinic-lsp-settings nil
  "Server settings, a plist such as (:debounceMs 300 :hintStyle \"short\").
They are sent as `initializationOptions' and again, under the key
\"clinic\", in `workspace/didChangeConfiguration'.  nil keeps the
server's defaults.  The keys are those of the server's configuration;
see editors/README.md for the full list."
  :type '(plist :key-type symbol :value-type sexp))

(defconst clinic-lsp-language-id "clinic"
  "LSP language id of clinic notes.")

(defconst clinic-lsp-summary-title "Insert structured summary"
  "Title of the server's code action for the note at point.")

(defconst clinic-lsp-all-summaries-title "Insert summaries for all"
  "Start of the title of the server's code action for every note.
The server completes it with the count: \"Insert summaries for all 3 notes\".")

;;;; Font lock

(defface clinic-lsp-laterality-face
  '((t :inherit font-lock-keyword-face))
  "Face for eye markers: R), L), OD, OS, OU, RE, LE, right, left.")

(defface clinic-lsp-drug-face
  '((t :inherit font-lock-function-name-face))
  "Face for intravitreal drugs.")

(defface clinic-lsp-acuity-face
  '((t :inherit font-lock-constant-face))
  "Face for visual acuities: 6/9, 20/40-2, logMAR, CF, HM, PL, NPL.")

(defface clinic-lsp-not-acuity-face
  '((t :inherit font-lock-comment-face))
  "Face for fractions that are not acuities: review intervals, IOP pairs.")

(defconst clinic-lsp--drugs
  '("eylea" "aflibercept" "yesafili" "opuviz" "ahzantive" "baiama" "enzeevu"
    "afqlir" "pavblu" "skojoy" "lucentis" "ranibizumab" "susvimo" "byooviz"
    "cimerli" "ongavia" "ximluci" "rimmyrah" "ranivisio" "razumab" "avastin"
    "bevacizumab" "lytenava" "vabysmo" "faricimab" "beovu" "brolucizumab"
    "macugen" "pegaptanib" "ozurdex" "dexamethasone" "iluvien" "yutiq"
    "fluocinolone" "triamcinolone" "ivta" "triesence" "kenalog" "syfovre"
    "pegcetacoplan" "izervay" "avacincaptad" "jetrea" "ocriplasmin"
    "ganciclovir" "foscarnet" "vancomycin" "ceftazidime" "amikacin"
    "amphotericin" "voriconazole" "methotrexate" "anti-vegf" "ivb" "ivr")
  "Drug names highlighted in notes (brand and generic, lower case).")

(defconst clinic-lsp--not-acuity-regexp
  (concat "\\_<\\(?:rev\\|rv\\|review\\|f/u\\|fu\\|rtc\\|in\\|for\\|x\\)[ .:]*"
          "[0-9]+/\\(?:52\\|12\\|7\\)\\_>"
          "\\|\\_<iop[ :]*[0-9]+/[0-9]+"
          "\\|\\_<[0-9]+/52\\_>")
  "Review intervals (4/52, 3/12, 2/7 after rev/f/u) and IOP pairs.")

(defconst clinic-lsp--acuity-regexp
  (concat "\\_<\\(?:6/\\(?:5\\|6\\|7\\.5\\|9\\|12\\|15\\|18\\|19\\|24\\|30\\|36\\|38\\|48\\|60\\|95\\)"
          "\\|[1-5]/60\\|20/[0-9]\\{2,3\\}\\)"
          "\\(?:[-+][0-9]\\)?"
          "\\|\\_<\\(?:cf\\|hm\\|pl\\|lp\\|npl\\|nlp\\|phni\\)\\_>"
          "\\|\\_<\\(?:counting fingers\\|hand movements?\\)\\_>"
          "\\|\\_<[0-9]\\{2\\} ?\\(?:letters\\|ltrs\\)\\_>")
  "Visual acuities in the notations of DOMAIN.md.")

(defconst clinic-lsp--laterality-regexp
  (concat "\\_<[RrLl])"
          "\\|\\_<\\(?:RE\\|LE\\|OD\\|OS\\|OU\\|BE\\|R\\.E\\.\\|L\\.E\\.\\|O\\.D\\.\\|O\\.S\\.\\)\\_>"
          "\\|\\_<\\(?:[Rr]ight\\|[Ll]eft\\|rt\\|lt\\|[Bb]ilat\\(?:eral\\)?\\|R\\+L\\)\\_>")
  "Eye markers.  Upper-case abbreviations only, to spare ordinary words.")

(defconst clinic-lsp-font-lock-keywords
  `((,clinic-lsp--not-acuity-regexp . 'clinic-lsp-not-acuity-face)
    (,clinic-lsp--acuity-regexp . 'clinic-lsp-acuity-face)
    (,(concat "\\_<" (regexp-opt clinic-lsp--drugs t) "\\_>") . 'clinic-lsp-drug-face)
    (,(lambda (limit)
        (let ((case-fold-search nil))
          (re-search-forward clinic-lsp--laterality-regexp limit t)))
     . 'clinic-lsp-laterality-face))
  "Font-lock rules of `clinic-mode'; earlier rules win.")

(defvar clinic-mode-syntax-table
  (let ((table (make-syntax-table text-mode-syntax-table)))
    (modify-syntax-entry ?/ "_" table)
    (modify-syntax-entry ?- "_" table)
    (modify-syntax-entry ?. "_" table)
    table)
  "Syntax table of `clinic-mode': fractions and drug names are symbols.")

(defvar clinic-mode-map
  (let ((map (make-sparse-keymap)))
    (define-key map (kbd "C-c C-s") #'clinic-lsp-insert-summary)
    (define-key map (kbd "C-c C-a") #'clinic-lsp-insert-all-summaries)
    ;; The echo area shows the first line of the hover; this shows the note's whole table.
    (define-key map (kbd "C-c C-h") #'clinic-lsp-show-hover)
    map)
  "Keymap of `clinic-mode'.")

;;;###autoload
(define-derived-mode clinic-mode text-mode "Clinic"
  "Major mode for ophthalmology clinic notes, one note per paragraph."
  (setq-local font-lock-defaults '(clinic-lsp-font-lock-keywords nil t))
  (setq-local comment-start "# ")
  (setq-local comment-start-skip "#+\\s-*"))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.clinic\\'" . clinic-mode))

;;;; Server settings

(defun clinic-lsp--initialization-options (&rest _)
  "The `initializationOptions' object: `clinic-lsp-settings' or {}."
  (or clinic-lsp-settings (make-hash-table)))

(defun clinic-lsp--workspace-configuration (&rest _)
  "The `workspace/didChangeConfiguration' settings: (:clinic SETTINGS)."
  (list :clinic (clinic-lsp--initialization-options)))

;;;; eglot

(defvar eglot-server-programs)
(defvar eglot-workspace-configuration)
(defvar eldoc-echo-area-use-multiline-p)
(defvar clinic-lsp-summary-mode)
(declare-function eglot-current-server "eglot" ())
(declare-function eglot-managed-p "eglot" ())
(declare-function eglot-signal-didChangeConfiguration "eglot" (server))
(declare-function eglot-code-actions "eglot" (beg &optional end action-kind interactive))
(declare-function eglot-execute "eglot" (server action))
(declare-function eglot--read-execute-code-action "eglot" (actions server &optional action-kind))
(declare-function eglot--TextDocumentIdentifier "eglot" ())
(declare-function eglot--pos-to-lsp-position "eglot" (&optional pos))
(declare-function eglot-inlay-hints-mode "eglot" (&optional arg))
(declare-function jsonrpc-async-request "jsonrpc" (connection method params &rest args))

(defun clinic-lsp--eglot-contact ()
  "Eglot contact: the server command with its initialization options.
The class `clinic-lsp--eglot-server' declares and answers
workspace/inlayHint/refresh."
  (cons 'clinic-lsp--eglot-server
        (append clinic-lsp-server-command
                (list :initializationOptions #'clinic-lsp--initialization-options))))
(defun clinic-lsp--eglot-register (modes)
  "Make eglot start clinic-lsp for MODES (major-mode symbols)."
  (let ((key (mapcar (lambda (mode)
                       (if (eq mode 'clinic-mode)
                           (list mode :language-id clinic-lsp-language-id)
                         mode))
                     modes)))
    (setq eglot-server-programs
          (cons (cons key (lambda (&rest _) (clinic-lsp--eglot-contact)))
                (cl-remove-if (lambda (entry)
                                (let ((k (car entry)))
                                  (cl-some (lambda (m)
                                             (or (eq k m) (and (consp k) (or (memq m k) (assq m k)))))
                                           modes)))
                              eglot-server-programs)))))

(defun clinic-lsp--eglot-setup-buffer ()
  "Give eglot this buffer's clinic settings for didChangeConfiguration."
  (setq-local eglot-workspace-configuration #'clinic-lsp--workspace-configuration))

(defun clinic-lsp--eglot-send-settings ()
  "Send the clinic settings when eglot starts managing a clinic buffer.
Eglot signals the configuration on connecting, but not necessarily from
the buffer whose local `eglot-workspace-configuration' holds them."
  (when (and (eglot-managed-p)
             (eq eglot-workspace-configuration #'clinic-lsp--workspace-configuration))
    (eglot-signal-didChangeConfiguration (eglot-current-server))))

(defun clinic-lsp--eglot-fetch-hints (callback)
  "Ask eglot's server for the buffer's inlay hints; CALLBACK gets them."
  (let ((server (eglot-current-server)))
    (when server
      (jsonrpc-async-request
       server :textDocument/inlayHint
       (list :textDocument (eglot--TextDocumentIdentifier)
             :range (list :start (list :line 0 :character 0)
                          :end (eglot--pos-to-lsp-position (point-max))))
       :success-fn callback :error-fn #'ignore :timeout-fn #'ignore
       :deferred :textDocument/inlayHint))))

(defun clinic-lsp--eglot-ours-p ()
  "Non-nil when eglot manages this buffer with clinic-lsp."
  (and (eglot-managed-p)
       (object-of-class-p (eglot-current-server) 'clinic-lsp--eglot-server)))

(defun clinic-lsp--eglot-start-summary ()
  "Show the findings on their lines once eglot manages a clinic buffer.
Stop when eglot lets go of the buffer."
  (if (not (clinic-lsp--eglot-ours-p))
      (when (bound-and-true-p clinic-lsp-summary-mode) (clinic-lsp-summary-mode -1))
    (clinic-lsp--buffer-display)
    (if (fboundp 'eglot-inlay-hints-mode)
        (progn (eglot-inlay-hints-mode 1)
               (clinic-lsp-summary-start #'clinic-lsp--eglot-fetch-hints t))
      (clinic-lsp-summary-start #'clinic-lsp--eglot-fetch-hints))))

(with-eval-after-load 'eglot
  (require 'clinic-lsp-eglot)
  (clinic-lsp--eglot-register '(clinic-mode))
  (add-hook 'eglot-managed-mode-hook #'clinic-lsp--eglot-send-settings)
  (add-hook 'eglot-managed-mode-hook #'clinic-lsp--eglot-start-summary))

;;;; Both clients

(defun clinic-lsp--buffer-display ()
  "One line of hover in the echo area, and faces that read in a terminal.
The findings are many and the line summaries show them: the information
diagnostics are not underlined, warnings and errors are, in their own colours."
  (setq-local eldoc-echo-area-use-multiline-p nil)
  (face-remap-set-base 'flymake-note '(:underline nil))
  (face-remap-set-base 'flymake-warning '(:inherit clinic-lsp-warning-face :underline t))
  (face-remap-set-base 'flymake-error '(:inherit clinic-lsp-error-face :underline t)))

;;;; lsp-mode

(defvar lsp-language-id-configuration)
(defvar lsp--cur-workspace)
(defvar lsp-diagnostics-updated-hook)
(defvar lsp-after-open-hook)
(declare-function lsp-register-client "lsp-mode" (client))
(declare-function make-lsp-client "lsp-mode" (&rest args))
(declare-function lsp-stdio-connection "lsp-mode" (command &optional test-command))
(declare-function lsp-activate-on "lsp-mode" (&rest languages))
(declare-function lsp-notify "lsp-mode" (method params))
(declare-function lsp-workspaces "lsp-mode" ())
(declare-function lsp-code-actions-at-point "lsp-mode" (&optional kind))
(declare-function lsp-execute-code-action "lsp-mode" (action))
(declare-function lsp:code-action-title "lsp-mode" (object))
(declare-function lsp-configuration-section "lsp-mode" (section))
(declare-function lsp-deferred "lsp-mode" ())
(declare-function lsp-session "lsp-mode" ())
(declare-function lsp-find-session-folder "lsp-mode" (session file-name))
(declare-function lsp-workspace-folders-add "lsp-mode" (project-root))
(declare-function lsp-request-async "lsp-mode" (method params callback &rest args))
(declare-function lsp-point-to-position "lsp-mode" (point))
(declare-function lsp--text-document-identifier "lsp-mode" ())
(declare-function lsp--workspace-server-id "lsp-mode" (workspace))
(declare-function lsp-diagnostics "lsp-mode" (&optional current-workspace?))
(declare-function lsp--fix-path-casing "lsp-mode" (path))
(declare-function lsp-inlay-hints-mode "lsp-mode" (&optional arg))
(declare-function project-root "project" (project))

(defun clinic-lsp--lsp-mode-register (modes)
  "Make lsp-mode start clinic-lsp for MODES (major-mode symbols)."
  (dolist (mode modes)
    (setf (alist-get mode lsp-language-id-configuration) clinic-lsp-language-id))
  (let ((handlers (make-hash-table :test #'equal)))
    (puthash "workspace/inlayHint/refresh" (lambda (&rest _) (clinic-lsp-summary-refresh-all) nil) handlers)
    (lsp-register-client
     (make-lsp-client
      :new-connection (lsp-stdio-connection (lambda () clinic-lsp-server-command))
      :activation-fn (lsp-activate-on clinic-lsp-language-id)
      :server-id 'clinic-lsp
      :request-handlers handlers
      :initialization-options #'clinic-lsp--initialization-options
      :initialized-fn (lambda (workspace)
                        (let ((lsp--cur-workspace workspace))
                          (lsp-notify "workspace/didChangeConfiguration"
                                      (list :settings (clinic-lsp--workspace-configuration)))))))))

;;;###autoload
(defun clinic-lsp-lsp-deferred ()
  "Start lsp-mode in this buffer, without asking for a project root.
A note outside every lsp-mode workspace folder gets its project's root,
or else its own directory, as one; then `lsp-deferred'.
For `clinic-mode-hook'."
  (require 'lsp-mode)
  (when (and buffer-file-name (not (lsp-find-session-folder (lsp-session) buffer-file-name)))
    (let ((project (project-current)))
      (lsp-workspace-folders-add (if project
                                     (project-root project)
                                   (file-name-directory buffer-file-name)))))
  (lsp-deferred))

(defun clinic-lsp--lsp-mode-fetch-hints (callback)
  "Ask lsp-mode's server for the buffer's inlay hints; CALLBACK gets them."
  (when (clinic-lsp--lsp-mode-ours-p)
    (lsp-request-async "textDocument/inlayHint"
                       (list :textDocument (lsp--text-document-identifier)
                             :range (list :start (list :line 0 :character 0)
                                          :end (lsp-point-to-position (point-max))))
                       callback :mode 'alive :error-handler #'ignore)))

(defvar-local clinic-lsp--lsp-mode-diagnostics nil
  "The diagnostics last handed to the line summaries.")

(defun clinic-lsp--lsp-mode-ours-p ()
  "Non-nil when lsp-mode runs clinic-lsp in this buffer."
  (and (featurep 'lsp-mode)
       (cl-some (lambda (w) (eq (lsp--workspace-server-id w) 'clinic-lsp)) (lsp-workspaces))))

(defvar eldoc-message-function)
(declare-function eldoc-minibuffer-message "eldoc" (format-string &rest args))

(defun clinic-lsp--one-line-message (&optional format-string &rest args)
  "Show FORMAT-STRING with ARGS in one row of the echo area, cut with ….
lsp-mode 8.0 shows the hover's first line with `eldoc-message', which wraps."
  (if (null format-string)
      (eldoc-minibuffer-message nil)
    (let ((text (car (split-string (apply #'format format-string args) "\n"))))
      (eldoc-minibuffer-message
       "%s" (truncate-string-to-width text (max 1 (1- (frame-width))) nil nil "…")))))

(defun clinic-lsp--lsp-mode-start-summary ()
  "Show the findings on their lines where lsp-mode opened a note with clinic-lsp."
  (when (clinic-lsp--lsp-mode-ours-p)
    (clinic-lsp--buffer-display)
    (setq-local eldoc-message-function #'clinic-lsp--one-line-message)
    (if (fboundp 'lsp-inlay-hints-mode)
        (progn (lsp-inlay-hints-mode 1)
               (clinic-lsp-summary-start #'clinic-lsp--lsp-mode-fetch-hints t))
      (clinic-lsp-summary-start #'clinic-lsp--lsp-mode-fetch-hints))))

(defun clinic-lsp--lsp-mode-stop-summary ()
  "Remove the line summaries from a buffer that lsp-mode no longer manages."
  (unless (bound-and-true-p lsp-managed-mode)
    (when (bound-and-true-p clinic-lsp-summary-mode) (clinic-lsp-summary-mode -1))))

(defun clinic-lsp--lsp-mode-diagnostics-updated ()
  "Hand lsp-mode's new diagnostics of each clinic buffer to its line summaries."
  (dolist (buffer (buffer-list))
    (with-current-buffer buffer
      (when (and (bound-and-true-p clinic-lsp-summary-mode) buffer-file-name (clinic-lsp--lsp-mode-ours-p))
        (let ((diagnostics (gethash (lsp--fix-path-casing buffer-file-name) (lsp-diagnostics t))))
          (unless (eq diagnostics clinic-lsp--lsp-mode-diagnostics)
            (setq clinic-lsp--lsp-mode-diagnostics diagnostics)
            (clinic-lsp-summary-set-diagnostics buffer diagnostics)))))))

(with-eval-after-load 'lsp-mode
  (clinic-lsp--lsp-mode-register '(clinic-mode))
  (add-hook 'lsp-after-open-hook #'clinic-lsp--lsp-mode-start-summary)
  (add-hook 'lsp-managed-mode-hook #'clinic-lsp--lsp-mode-stop-summary)
  (add-hook 'lsp-diagnostics-updated-hook #'clinic-lsp--lsp-mode-diagnostics-updated))

;;;; Plain text and Markdown

;;;###autoload
(defun clinic-lsp-attach-to-modes (modes)
  "Also read clinic notes with clinic-lsp in buffers of MODES.
MODES is a list of major modes, e.g. \\='(text-mode markdown-mode).
Call it from your init file; then M-x eglot (or M-x lsp) in such a
buffer starts clinic-lsp."
  (with-eval-after-load 'eglot
    (clinic-lsp--eglot-register (cons 'clinic-mode modes)))
  (with-eval-after-load 'lsp-mode
    (clinic-lsp--lsp-mode-register modes))
  (dolist (mode modes)
    (add-hook (intern (format "%s-hook" mode)) #'clinic-lsp--eglot-setup-buffer)))

(add-hook 'clinic-mode-hook #'clinic-lsp--eglot-setup-buffer)

;;;; Summary commands

(declare-function lsp-describe-thing-at-point "lsp-mode" ())

(defun clinic-lsp-show-hover ()
  "Show the whole hover of the note at point: the table of its findings.
The echo area shows only its first line."
  (interactive)
  (cond ((clinic-lsp--lsp-mode-ours-p) (lsp-describe-thing-at-point))
        ((fboundp 'eldoc-doc-buffer) (eldoc-doc-buffer))
        (t (user-error "This Emacs has no eldoc-doc-buffer (Emacs 28+)"))))

(defun clinic-lsp--run-code-action (title)
  "Run the server's code action whose title starts with TITLE, at point."
  (cond
   ((and (featurep 'eglot) (eglot-current-server))
    (let* ((server (eglot-current-server))
           (action (cl-find title (eglot-code-actions (point) (point))
                            :key (lambda (a) (plist-get a :title)) :test #'string-prefix-p)))
      (unless action (user-error "clinic-lsp offers no \"%s\" here" title))
      (if (fboundp 'eglot-execute)
          (eglot-execute server action)
        ;; eglot before 1.14 runs a single kind-filtered action without asking.
        (eglot--read-execute-code-action (list action) server
                                         (or (plist-get action :kind) "clinic")))))
   ((and (featurep 'lsp-mode) (lsp-workspaces))
    (let ((action (cl-find title (lsp-code-actions-at-point)
                           :key #'lsp:code-action-title :test #'string-prefix-p)))
      (unless action (user-error "clinic-lsp offers no \"%s\" here" title))
      (lsp-execute-code-action action)))
   (t (user-error "No language server in this buffer: start one with M-x eglot or M-x lsp"))))

(defun clinic-lsp-insert-summary ()
  "Insert the structured summary of the note at point."
  (interactive)
  (clinic-lsp--run-code-action clinic-lsp-summary-title))

(defun clinic-lsp-insert-all-summaries ()
  "Insert the structured summary of every note in the buffer."
  (interactive)
  (clinic-lsp--run-code-action clinic-lsp-all-summaries-title))

(provide 'clinic-lsp)
;;; clinic-lsp.el ends here
