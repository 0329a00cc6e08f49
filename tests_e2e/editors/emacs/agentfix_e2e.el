;;; agentfix_e2e.el --- observe eglot for tests_e2e/editors/test_emacs.py  -*- lexical-binding: t -*-

;; Loaded with `-l' after the user's init.el (the README's snippet, verbatim but for its
;; values) in a real terminal Emacs that tmux drives with keystrokes.  It changes nothing
;; eglot does; it only lets the test watch:
;;
;; * every JSON-RPC message eglot logs to its events buffer is also appended to the file
;;   $AGENTFIX_E2E_EVENTS, one JSON object a line: {"type": "client-request", "time":
;;   1700000000.1, "message": {...}}, the message in jsonrpc's own encoding (what was sent;
;;   a received empty object reads back as null);
;; * an Emacs server on the socket $AGENTFIX_E2E_SOCKET, so that the test can read state
;;   with emacsclient (`agentfix-e2e-state') and save *Messages* and eglot's events and
;;   stderr buffers (`agentfix-e2e-dump') without typing into the session.

;;; Code:

(require 'json)
(require 'jsonrpc)
(require 'package)
(require 'server)

(defvar agentfix-e2e-events-file (getenv "AGENTFIX_E2E_EVENTS")
  "Where each JSON-RPC event is appended as one JSON line.")

(defun agentfix-e2e--record (_connection message &optional type)
  "Append MESSAGE, logged by jsonrpc as TYPE's, to `agentfix-e2e-events-file'.
The type is named as in eglot's events buffer: client-request, server-reply..."
  (when agentfix-e2e-events-file
    (condition-case err
        (let* ((method (plist-get message :method))
               (id (plist-get message :id))
               (kind (if type
                         (format "%s-%s" type (cond ((and method id) "request")
                                                    (method "notification")
                                                    (id "reply")
                                                    (t "message")))
                       "internal"))
               (line (format "{\"type\": %s, \"time\": %s, \"message\": %s}"
                             (json-encode kind)
                             (float-time)
                             (jsonrpc--json-encode message))))
          (with-temp-buffer
            (insert line "\n")
            (let ((coding-system-for-write 'utf-8-unix))
              (write-region (point-min) (point-max) agentfix-e2e-events-file t 'quiet))))
      (error (message "agentfix-e2e: could not record an event: %S" err)))))

(advice-add 'jsonrpc--log-event :after #'agentfix-e2e--record)

(defun agentfix-e2e--buffer (file)
  "The buffer visiting FILE, or nil."
  (find-buffer-visiting file))

(defun agentfix-e2e-state (file)
  "FILE's buffer, its eglot connection and the minibuffer, as JSON."
  (let* ((buffer (agentfix-e2e--buffer file))
         (server (and buffer (fboundp 'eglot-current-server)
                      (with-current-buffer buffer (eglot-current-server)))))
    (json-encode
     (list :buffer (and buffer (with-current-buffer buffer
                                 (buffer-substring-no-properties (point-min) (point-max))))
           :modified (and buffer (buffer-modified-p buffer) t)
           :major-mode (and buffer (format "%s" (buffer-local-value 'major-mode buffer)))
           :managed (and buffer (boundp 'eglot--managed-mode)
                         (buffer-local-value 'eglot--managed-mode buffer) t)
           :server (and server (jsonrpc-name server))
           :running (and server (jsonrpc-running-p server) t)
           :minibuffer (and (active-minibuffer-window) t)
           :prompt (and (active-minibuffer-window)
                        (with-current-buffer (window-buffer (active-minibuffer-window))
                          (minibuffer-prompt)))
           :input (and (active-minibuffer-window)
                       (with-current-buffer (window-buffer (active-minibuffer-window))
                         (minibuffer-contents-no-properties)))
           :emacs emacs-version
           :eglot (let ((desc (cadr (assq 'eglot package-alist))))
                    (and desc (package-version-join (package-desc-version desc))))))))

(defun agentfix-e2e-dump (directory)
  "Write *Messages* and every eglot buffer (events, stderr) into DIRECTORY."
  (let ((coding-system-for-write 'utf-8-unix)
        (written '()))
    (dolist (buffer (cons (messages-buffer) (buffer-list)))
      (let ((name (buffer-name buffer)))
        (when (and name (or (eq buffer (messages-buffer))
                            (string-match-p "\\`\\*EGLOT .*\\*\\'" name)))
          (let ((file (expand-file-name
                       (concat (replace-regexp-in-string "[^[:alnum:]_.-]+" "_"
                                                         (string-trim name "[* ]+" "[* ]+"))
                               ".txt")
                       directory)))
            (unless (member file written)
              (push file written)
              (with-current-buffer buffer
                (write-region (point-min) (point-max) file nil 'quiet)))))))
    (json-encode (reverse written))))

(let ((socket (getenv "AGENTFIX_E2E_SOCKET")))
  (when socket
    (setq server-socket-dir (file-name-directory socket)
          server-name (file-name-nondirectory socket))
    (server-start)))

(provide 'agentfix_e2e)
;;; agentfix_e2e.el ends here
