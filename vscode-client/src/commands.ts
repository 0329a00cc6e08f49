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

export interface FixOutcome {
  readonly status: string;
  readonly message: string;
  readonly applied: boolean;
}

/** The result of `agentfix.fix` ({status, message, applied}), or undefined if malformed. */
export function parseFixOutcome(value: unknown): FixOutcome | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const { status, message, applied } = value as Record<string, unknown>;
  if (typeof status !== 'string' || typeof message !== 'string' || typeof applied !== 'boolean') {
    return undefined;
  }
  return { status, message, applied };
}

/** A log line for a finished fix. */
export function describeFixOutcome(fileName: string, value: unknown): string {
  const outcome = parseFixOutcome(value);
  if (outcome === undefined) {
    return `fix of ${fileName}: unexpected result ${JSON.stringify(value)}`;
  }
  const applied = outcome.applied ? 'applied' : 'not applied';
  return `fix of ${fileName}: ${outcome.status}, ${applied}: ${outcome.message}`;
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
