/**
 * Command ids and the arguments and results of the server's commands. Pure: no `vscode`.
 */

/** The extension's commands (package.json `contributes.commands`). */
export const COMMANDS = {
  fixFile: 'agentfix.fixFile',
  showLog: 'agentfix.showLog',
  restart: 'agentfix.restart',
  cancelFix: 'agentfix.cancelFix',
  showLastRun: 'agentfix.showLastRunOfFile',
} as const;

/** The server's workspace/executeCommand commands. */
export const SERVER_COMMANDS = {
  fix: 'agentfix.fix',
  cancel: 'agentfix.cancel',
  showLastRun: 'agentfix.showLastRun',
} as const;

export interface FixArguments {
  readonly uri: string;
  readonly version: number;
  readonly targets: readonly string[];
}

/** `agentfix.fix` for the whole file: no targets. */
export function fixFileArguments(uri: string, version: number): [FixArguments] {
  return [{ uri, version, targets: [] }];
}

/** `agentfix.cancel` for one document; with no document the server cancels every fix. */
export function cancelArguments(uri: string | undefined): [{ uri: string }] | [] {
  return uri === undefined ? [] : [{ uri }];
}

/** `agentfix.showLastRun`: the last recorded fix of this document, step by step. */
export function showLastRunArguments(uri: string): [{ uri: string }] {
  return [{ uri }];
}

export interface DocumentLike {
  readonly languageId: string;
  readonly isUntitled: boolean;
  readonly uri: { readonly scheme: string };
}

/** Why this document cannot be fixed, or undefined when it can. */
export function fixProblem(document: DocumentLike | undefined): string | undefined {
  if (document === undefined) {
    return 'agentfix: open a Python file first.';
  }
  if (document.languageId !== 'python') {
    return `agentfix fixes Python files; this one is ${document.languageId}.`;
  }
  if (document.isUntitled || document.uri.scheme !== 'file') {
    return 'agentfix: save the file to disk first (fixes run against its project).';
  }
  return undefined;
}

/**
 * What `agentfix.fix` answered. The server answers at once: `started` (the fix runs in the
 * background; its progress, edits and result message follow from the server), or `busy` /
 * `error` (it did not start; the server shows why itself, as `window/showMessage`, since an
 * editor may not show a command's answer). An older server, or `"wait": true`, answers
 * how the fix ended instead (`finished`).
 */
export type FixAnswer =
  | { readonly kind: 'started'; readonly message: string }
  | { readonly kind: 'refused'; readonly status: 'busy' | 'error'; readonly message: string }
  | { readonly kind: 'finished'; readonly status: string; readonly message: string; readonly applied: boolean }
  | { readonly kind: 'unexpected' };

/** Classify the answer of `agentfix.fix` ({status, message, applied?}). */
export function parseFixAnswer(value: unknown): FixAnswer {
  if (typeof value !== 'object' || value === null) {
    return { kind: 'unexpected' };
  }
  const { status, message, applied } = value as Record<string, unknown>;
  if (typeof status !== 'string' || typeof message !== 'string') {
    return { kind: 'unexpected' };
  }
  if (status === 'started') {
    return { kind: 'started', message };
  }
  if (status === 'busy' || status === 'error') {
    return { kind: 'refused', status, message };
  }
  if (typeof applied !== 'boolean') {
    return { kind: 'unexpected' };
  }
  return { kind: 'finished', status, message, applied };
}

/** The log line for an answer of `agentfix.fix`. */
export function describeFixAnswer(fileName: string, value: unknown): string {
  const answer = parseFixAnswer(value);
  switch (answer.kind) {
    case 'started':
      return `fix of ${fileName}: started (${answer.message}); progress, edits and result follow from the server`;
    case 'refused':
      return `fix of ${fileName}: not started (${answer.status}): ${answer.message}`;
    case 'finished':
      return `fix of ${fileName}: ${answer.status}, ${answer.applied ? 'applied' : 'not applied'}: ${answer.message}`;
    case 'unexpected':
      return `fix of ${fileName}: unexpected answer ${JSON.stringify(value)}`;
  }
}

/** The message after `agentfix.cancel` answered `{cancelled: n}`. */
export function cancelMessage(value: unknown, fileName: string | undefined): string {
  const cancelled =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['cancelled'] : undefined;
  const count = typeof cancelled === 'number' ? cancelled : 0;
  if (fileName !== undefined) {
    return count > 0 ? `agentfix: cancelling the fix of ${fileName}.` : `agentfix: no fix of ${fileName} is running.`;
  }
  if (count === 0) {
    return 'agentfix: no fix is running.';
  }
  return count === 1 ? 'agentfix: cancelling 1 running fix.' : `agentfix: cancelling ${count} running fixes.`;
}

/** A log line after `agentfix.showLastRun` answered `{shown, path, message}`. */
export function describeShownRun(fileName: string, value: unknown): string {
  const reply = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const { shown, path, message } = reply;
  if (shown === true && typeof path === 'string') {
    return `last run of ${fileName}: opened ${path}`;
  }
  if (typeof message === 'string' && message !== '') {
    return `last run of ${fileName}: ${message}`;
  }
  return `last run of ${fileName}: unexpected result ${JSON.stringify(value)}`;
}
