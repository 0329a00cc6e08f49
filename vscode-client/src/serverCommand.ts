/**
 * How the agentfix language server is started. Pure: no `vscode` import, every input is a
 * parameter, so it is unit-tested under plain Node.
 *
 * Resolution: a non-empty `agentfix.serverCommand` wins; otherwise the interpreter selected
 * in the Python extension (`ms-python.python`) runs `-m agentfix serve`; otherwise `python3`.
 */

export const DEFAULT_PYTHON = 'python3';
export const SERVE_ARGS: readonly string[] = ['-m', 'agentfix', 'serve'];
export const PYTHON_EXTENSION_ID = 'ms-python.python';

export type ServerCommandSource = 'setting' | 'python-extension' | 'default';

export interface ServerCommand {
  readonly command: string;
  readonly args: readonly string[];
  /** The interpreter that runs `-m agentfix serve`; undefined for a custom serverCommand. */
  readonly python: string | undefined;
  readonly source: ServerCommandSource;
}

export type ParsedSetting =
  | { readonly ok: true; readonly value: readonly string[] }
  | { readonly ok: false; readonly problem: string };

const EXAMPLE = '["/path/to/python", "-m", "agentfix", "serve"]';

/** Validate the raw `agentfix.serverCommand` value (settings.json can hold anything). */
export function parseServerCommandSetting(value: unknown): ParsedSetting {
  if (value === undefined || value === null) {
    return { ok: true, value: [] };
  }
  if (!Array.isArray(value)) {
    return {
      ok: false,
      problem: `agentfix.serverCommand must be a list of strings, e.g. ${EXAMPLE}; got ${JSON.stringify(value)}.`,
    };
  }
  const items: unknown[] = value;
  const bad = items.findIndex((item) => typeof item !== 'string' || item.trim() === '');
  if (bad >= 0) {
    return {
      ok: false,
      problem: `agentfix.serverCommand[${bad}] must be a non-empty string, e.g. ${EXAMPLE}; got ${JSON.stringify(items[bad])}.`,
    };
  }
  return { ok: true, value: items as string[] };
}

/** The command to spawn, from the setting and the Python extension's interpreter. */
export function resolveServerCommand(
  configured: readonly string[],
  interpreter: string | undefined,
  fallbackPython: string = DEFAULT_PYTHON,
): ServerCommand {
  const [command, ...args] = configured;
  if (command !== undefined) {
    return { command, args, python: undefined, source: 'setting' };
  }
  const python = interpreter !== undefined && interpreter.trim() !== '' ? interpreter : undefined;
  return {
    command: python ?? fallbackPython,
    args: [...SERVE_ARGS],
    python: python ?? fallbackPython,
    source: python !== undefined ? 'python-extension' : 'default',
  };
}

/** Quote one argument for display in a POSIX shell (and readable elsewhere). */
export function shellQuote(arg: string): string {
  if (arg !== '' && /^[\w@%+=:,./\\-]+$/.test(arg)) {
    return arg;
  }
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The command line, quoted for display or copying into a terminal. */
export function describeCommand(command: Pick<ServerCommand, 'command' | 'args'>): string {
  return [command.command, ...command.args].map(shellQuote).join(' ');
}

// ---- The Python extension's API, as much of it as we use ---------------------------------

/** Like `vscode.Extension<unknown>`: structurally compatible, so tests can pass fakes. */
export interface ExtensionLike {
  readonly isActive: boolean;
  readonly exports: unknown;
  activate(): PromiseLike<unknown>;
}

export interface EnvironmentPath {
  readonly id: string;
  readonly path: string;
}

export interface ResolvedEnvironment {
  readonly executable?: { readonly uri?: { readonly fsPath: string } | undefined } | undefined;
}

export interface DisposableLike {
  dispose(): unknown;
}

export interface PythonEnvironmentsApi {
  getActiveEnvironmentPath(resource?: unknown): EnvironmentPath;
  resolveEnvironment(environment: EnvironmentPath | string): PromiseLike<ResolvedEnvironment | undefined>;
  readonly onDidChangeActiveEnvironmentPath?: (listener: (event: unknown) => unknown) => DisposableLike;
}

export interface InterpreterLookup {
  /** The selected interpreter's executable, when the Python extension told us one. */
  readonly python: string | undefined;
  /** What happened, for the log. */
  readonly note: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The `environments` API of the Python extension's exports, if it has one. */
export function environmentsApi(exports: unknown): PythonEnvironmentsApi | undefined {
  if (!isRecord(exports)) {
    return undefined;
  }
  const environments = exports['environments'];
  if (
    isRecord(environments) &&
    typeof environments['getActiveEnvironmentPath'] === 'function' &&
    typeof environments['resolveEnvironment'] === 'function'
  ) {
    return environments as unknown as PythonEnvironmentsApi;
  }
  return undefined;
}

export class TimeoutError extends Error {}

/** Resolve with `promise`, or reject with TimeoutError after `ms`. */
export async function withTimeout<T>(promise: PromiseLike<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new TimeoutError(`${what} took longer than ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([Promise.resolve(promise), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Activate the Python extension (if present) and ask it for the selected interpreter. */
export async function interpreterFromPythonExtension(
  extension: ExtensionLike | undefined,
  resource: unknown,
  timeoutMs = 15_000,
): Promise<InterpreterLookup> {
  if (extension === undefined) {
    return { python: undefined, note: `the Python extension (${PYTHON_EXTENSION_ID}) is not installed` };
  }
  try {
    const exports = extension.isActive
      ? extension.exports
      : await withTimeout(extension.activate(), timeoutMs, 'activating the Python extension');
    const api = environmentsApi(exports);
    if (api === undefined) {
      return { python: undefined, note: 'the Python extension has no environments API (too old?)' };
    }
    const active = api.getActiveEnvironmentPath(resource);
    const resolved = await withTimeout(
      api.resolveEnvironment(active),
      timeoutMs,
      'resolving the selected Python environment',
    );
    const executable = resolved?.executable?.uri?.fsPath;
    if (executable === undefined || executable === '') {
      return {
        python: undefined,
        note: `the Python extension could not resolve the selected environment ${active.path}`,
      };
    }
    return { python: executable, note: `the Python extension selected ${executable}` };
  } catch (error: unknown) {
    return { python: undefined, note: `the Python extension failed: ${errorText(error)}` };
  }
}
