/**
 * Before starting the server: does `<python> -c "import agentfix"` work? Runs a child
 * process with a timeout; the process runner is a parameter so tests can fake it. No
 * `vscode` import. Also the messages shown when the server cannot start.
 */

import { execFile } from 'node:child_process';

import { type ServerCommand, describeCommand, shellQuote } from './serverCommand';

export const IMPORT_CHECK_ARGS: readonly string[] = ['-c', 'import agentfix'];
export const DEFAULT_CHECK_TIMEOUT_MS = 20_000;

export type ImportCheck =
  | { readonly kind: 'ok' }
  | { readonly kind: 'not-installed'; readonly detail: string }
  | { readonly kind: 'interpreter-not-found'; readonly detail: string }
  | { readonly kind: 'timeout'; readonly detail: string }
  | { readonly kind: 'failed'; readonly detail: string };

/** The parts of Node's execFile error we read. */
export interface ExecFailure {
  readonly message: string;
  /** The exit code (number) or a spawn errno such as 'ENOENT' (string). */
  readonly code?: number | string | null | undefined;
  readonly killed?: boolean | undefined;
  readonly signal?: string | null | undefined;
}

export type Runner = (
  file: string,
  args: readonly string[],
  timeoutMs: number,
) => Promise<{ readonly error: ExecFailure | null; readonly stdout: string; readonly stderr: string }>;

/** Runs a process with Node's execFile (no shell), killing it after `timeoutMs`. */
export const nodeRunner: Runner = (file, args, timeoutMs) =>
  new Promise((resolve) => {
    execFile(
      file,
      [...args],
      { timeout: timeoutMs, windowsHide: true, encoding: 'utf8', maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ error, stdout, stderr });
      },
    );
  });

const SPAWN_ERRORS = new Set(['ENOENT', 'EACCES', 'ENOTDIR', 'EISDIR', 'ENOEXEC', 'EPERM']);

function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  return lines[lines.length - 1] ?? '';
}

/** Classify the outcome of running `python -c "import agentfix"`. */
export function classifyImportCheck(
  error: ExecFailure | null,
  stderr: string,
  timeoutMs: number,
): ImportCheck {
  if (error === null) {
    return { kind: 'ok' };
  }
  if (typeof error.code === 'string' && SPAWN_ERRORS.has(error.code)) {
    return { kind: 'interpreter-not-found', detail: error.code };
  }
  if (error.killed === true) {
    return { kind: 'timeout', detail: `no answer within ${Math.round(timeoutMs / 1000)} s` };
  }
  if (/No module named '?agentfix'?/.test(stderr)) {
    return { kind: 'not-installed', detail: lastLine(stderr) };
  }
  return { kind: 'failed', detail: lastLine(stderr) || error.message };
}

/** Run `<python> -c "import agentfix"` and classify the result. */
export async function checkAgentfixImport(
  python: string,
  timeoutMs: number = DEFAULT_CHECK_TIMEOUT_MS,
  run: Runner = nodeRunner,
): Promise<ImportCheck> {
  const { error, stderr } = await run(python, IMPORT_CHECK_ARGS, timeoutMs);
  return classifyImportCheck(error, stderr, timeoutMs);
}

/** A slow interpreter (timeout) is no proof of a problem: start the server anyway. */
export function shouldStart(check: ImportCheck): boolean {
  return check.kind === 'ok' || check.kind === 'timeout';
}

/**
 * Where agentfix is installed from: the source checkout (or a wheel built from it). The
 * name `agentfix` on PyPI is not this project's, so a hint never says `pip install agentfix`.
 */
export const SOURCE_PLACEHOLDER = '/path/to/agentfix';

/** The install command for `python`, from the agentfix checkout. */
export function installHint(python: string): string {
  return `${shellQuote(python)} -m pip install ${SOURCE_PLACEHOLDER}`;
}

/** The install command, with what its path stands for. */
function installFromCheckout(python: string): string {
  return `\`${installHint(python)}\` (${SOURCE_PLACEHOLDER}: your agentfix source checkout, or a wheel built from it)`;
}

const ALTERNATIVES = 'Or select another interpreter in the Python extension, or set agentfix.serverCommand.';

/** The notification for a failed check, naming the interpreter and the fix; undefined if none. */
export function importCheckMessage(python: string, check: ImportCheck): string | undefined {
  const install = installFromCheckout(python);
  switch (check.kind) {
    case 'ok':
    case 'timeout':
      return undefined;
    case 'not-installed':
      return (
        `agentfix is not installed in the Python interpreter ${python}, so its language server ` +
        `cannot start. Install it with ${install}. ${ALTERNATIVES}`
      );
    case 'interpreter-not-found':
      return (
        `The Python interpreter ${python} could not be run (${check.detail}), so the agentfix ` +
        `language server cannot start. Install Python, then agentfix with ${install}. ${ALTERNATIVES}`
      );
    case 'failed':
      return (
        `\`${shellQuote(python)} -c "import agentfix"\` failed (${check.detail}), so the agentfix ` +
        `language server cannot start. Reinstall it with ${install}. ${ALTERNATIVES}`
      );
  }
}

/** The notification when the server process did not start or initialize. */
export function startFailureMessage(command: ServerCommand, error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  const where = `The agentfix language server did not start with \`${describeCommand(command)}\`: ${reason}.`;
  if (command.python !== undefined) {
    return `${where} Check that agentfix is installed in ${command.python}: ${installFromCheckout(command.python)}. Or set agentfix.serverCommand.`;
  }
  return `${where} Check the agentfix.serverCommand setting.`;
}
