/**
 * A small stand-in for the `vscode` module, enough for the extension and
 * vscode-languageclient to start a real agentfix server, sync a document, list code
 * actions, run commands and apply the server's edit. The VS Code test host cannot be
 * downloaded here; this lets the bundle's wiring run under plain Node. It records what the
 * extension shows (notifications, status-bar texts, log lines, applied edits).
 */

import { basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Listener = (event: unknown) => unknown;

export class Disposable {
  constructor(private readonly callOnDispose: () => unknown = () => undefined) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => {
      items.forEach((d) => d.dispose());
    });
  }
  dispose(): void {
    this.callOnDispose();
  }
}

export class EventEmitter {
  private listeners: Listener[] = [];
  readonly event = (listener: Listener, thisArg?: unknown, disposables?: Disposable[]): Disposable => {
    const bound: Listener = (e) => listener.call(thisArg, e);
    this.listeners.push(bound);
    const disposable = new Disposable(() => {
      this.listeners = this.listeners.filter((l) => l !== bound);
    });
    disposables?.push(disposable);
    return disposable;
  };
  fire(event?: unknown): void {
    for (const listener of [...this.listeners]) {
      listener(event);
    }
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
    private readonly text: string,
  ) {}
  static file(path: string): Uri {
    return new Uri('file', path, pathToFileURL(path).href);
  }
  static parse(text: string): Uri {
    const scheme = text.slice(0, text.indexOf(':'));
    return scheme === 'file' ? Uri.file(fileURLToPath(text)) : new Uri(scheme, text.slice(scheme.length + 1), text);
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return this.text;
  }
  toJSON(): string {
    return this.text;
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    if (typeof a === 'number' && typeof b === 'number') {
      this.start = new Position(a, b);
      this.end = new Position(c ?? a, d ?? b);
    } else {
      this.start = a as Position;
      this.end = b as Position;
    }
  }
}

export class TextEdit {
  constructor(
    readonly range: Range,
    readonly newText: string,
  ) {}
  static replace(range: Range, newText: string): TextEdit {
    return new TextEdit(range, newText);
  }
}

export class WorkspaceEdit {
  private readonly edits = new Map<string, { uri: Uri; edits: TextEdit[] }>();
  /** Edits, or [edit, metadata] pairs as vscode-languageclient passes them. */
  set(uri: Uri, edits: (TextEdit | [TextEdit, unknown])[]): void {
    const plain = edits.map((e) => (Array.isArray(e) ? e[0] : e));
    this.edits.set(uri.toString(), { uri, edits: [...(this.edits.get(uri.toString())?.edits ?? []), ...plain] });
  }
  replace(uri: Uri, range: Range, newText: string): void {
    this.set(uri, [new TextEdit(range, newText)]);
  }
  entries(): [Uri, TextEdit[]][] {
    return [...this.edits.values()].map((e) => [e.uri, e.edits]);
  }
  get size(): number {
    return this.edits.size;
  }
}

export class CodeActionKind {
  static readonly Empty = new CodeActionKind('');
  static readonly QuickFix = new CodeActionKind('quickfix');
  static readonly Refactor = new CodeActionKind('refactor');
  static readonly RefactorExtract = new CodeActionKind('refactor.extract');
  static readonly RefactorInline = new CodeActionKind('refactor.inline');
  static readonly RefactorRewrite = new CodeActionKind('refactor.rewrite');
  static readonly Source = new CodeActionKind('source');
  static readonly SourceOrganizeImports = new CodeActionKind('source.organizeImports');
  static readonly SourceFixAll = new CodeActionKind('source.fixAll');
  constructor(readonly value: string) {}
  append(part: string): CodeActionKind {
    return new CodeActionKind(this.value === '' ? part : `${this.value}.${part}`);
  }
  contains(other: CodeActionKind): boolean {
    return this.value === '' || other.value === this.value || other.value.startsWith(`${this.value}.`);
  }
  intersects(other: CodeActionKind): boolean {
    return this.contains(other) || other.contains(this);
  }
}

export class CodeAction {
  kind: CodeActionKind | undefined;
  command: { command: string; title: string; arguments?: unknown[] } | undefined;
  diagnostics: unknown[] | undefined;
  constructor(
    readonly title: string,
    kind?: CodeActionKind,
  ) {
    this.kind = kind;
  }
}

export class CancellationError extends Error {}

export class CancellationTokenSource {
  private readonly emitter = new EventEmitter();
  private cancelled = false;
  readonly token = {
    isCancellationRequested: false,
    onCancellationRequested: this.emitter.event,
  };
  cancel(): void {
    if (!this.cancelled) {
      this.cancelled = true;
      this.token.isCancellationRequested = true;
      this.emitter.fire();
    }
  }
  dispose(): void {
    this.emitter.dispose();
  }
}

const ENUMS = {
  LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  CodeActionTriggerKind: { Invoke: 1, Automatic: 2 },
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  TextDocumentSaveReason: { Manual: 1, AfterDelay: 2, FocusOut: 3 },
  FileType: { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 },
};

/** Anything: callable, constructible, every property another anything (for unused API). */
function anything(): unknown {
  const target = function (): void {
    /* anything */
  };
  const proxy: unknown = new Proxy(target, {
    get: (_t, prop) => {
      if (prop === 'then') {
        return undefined;
      }
      if (prop === 'dispose') {
        return () => undefined;
      }
      if (prop === Symbol.iterator) {
        return [][Symbol.iterator];
      }
      return anything();
    },
    apply: () => new Disposable(),
    construct: () => new Disposable(),
  });
  return proxy;
}

/** Properties looked up and not defined return `anything()`, so unused API never throws. */
function lenient<T extends object>(object: T): T {
  return new Proxy(object, {
    get: (target, prop, receiver) =>
      prop in target || typeof prop === 'symbol' ? (Reflect.get(target, prop, receiver) as unknown) : anything(),
  });
}

export interface FakeDocument {
  readonly uri: Uri;
  readonly fileName: string;
  readonly languageId: string;
  readonly version: number;
  readonly isUntitled: boolean;
  readonly isDirty: boolean;
  readonly isClosed: boolean;
  getText(): string;
}

export function fakeDocument(path: string, text: string, languageId = 'python'): FakeDocument {
  return {
    uri: Uri.file(path),
    fileName: path,
    languageId,
    version: 1,
    isUntitled: false,
    isDirty: false,
    isClosed: false,
    getText: () => text,
  };
}

export interface Inspected {
  key: string;
  defaultValue?: unknown;
  globalValue?: unknown;
}

export interface FakeOptions {
  /** package.json, for setting defaults. */
  readonly packageJson: { contributes: { configuration: { properties: Record<string, { default?: unknown }> } } };
  readonly folder: string;
  readonly documents: FakeDocument[];
  /** User settings, keyed like `agentfix.model`. */
  readonly settings: Record<string, unknown>;
  readonly extensions?: Record<string, unknown>;
  /** The item the user picks in a notification (none when undefined). */
  readonly choose?: (text: string, items: readonly string[]) => string | undefined;
}

export interface Recorder {
  readonly messages: { level: 'error' | 'warning' | 'info'; text: string; items: string[] }[];
  readonly statusTexts: string[];
  readonly log: string[];
  readonly appliedEdits: WorkspaceEdit[];
  readonly shownDocuments: string[];
  readonly commands: Map<string, (...args: unknown[]) => unknown>;
  /** Every vscode.commands.executeCommand call: [id, ...args]. */
  readonly executedCommands: unknown[][];
  /** Titles of the window progress shown (the server's work-done progress). */
  readonly progressTitles: string[];
  /** `section uri` of each getConfiguration(section, uri) with a scope. */
  readonly configurationScopes: string[];
  readonly codeActionProviders: { provideCodeActions(...args: unknown[]): unknown }[];
  readonly configurationChanged: EventEmitter;
  activeDocument: FakeDocument | undefined;
}

/** Build the module and the recorder; `settings` stays live (change it, then fire). */
export function createFakeVscode(options: FakeOptions): { vscode: object; recorder: Recorder } {
  const properties = options.packageJson.contributes.configuration.properties;
  const recorder: Recorder = {
    messages: [],
    statusTexts: [],
    log: [],
    appliedEdits: [],
    shownDocuments: [],
    commands: new Map(),
    executedCommands: [],
    progressTitles: [],
    configurationScopes: [],
    codeActionProviders: [],
    configurationChanged: new EventEmitter(),
    activeDocument: undefined,
  };
  const folderUri = Uri.file(options.folder);
  const folder = { uri: folderUri, name: basename(options.folder), index: 0 };

  const getConfiguration = (section?: string, scope?: Uri): object => {
    if (scope !== undefined) {
      recorder.configurationScopes.push(`${section ?? ''} ${scope.toString()}`);
    }
    const full = (key: string): string => (section === undefined || section === '' ? key : `${section}.${key}`);
    const inspect = (key: string): Inspected => {
      const name = full(key);
      const result: Inspected = { key: name, defaultValue: properties[name]?.default };
      if (name in options.settings) {
        result.globalValue = options.settings[name];
      }
      return result;
    };
    return lenient({
      get: (key: string, fallback?: unknown): unknown => {
        const inspected = inspect(key);
        return inspected.globalValue ?? inspected.defaultValue ?? fallback;
      },
      has: (key: string): boolean => full(key) in properties,
      inspect,
      update: () => Promise.resolve(),
    });
  };

  const message =
    (level: 'error' | 'warning' | 'info') =>
    (text: string, ...items: unknown[]): Promise<string | undefined> => {
      const strings = items.filter((i): i is string => typeof i === 'string');
      recorder.messages.push({ level, text, items: strings });
      return Promise.resolve(options.choose?.(text, strings));
    };

  const outputChannel = (name: string): object => {
    const line =
      (level: string) =>
      (text: string): void => {
        recorder.log.push(`[${name}] [${level}] ${text}`);
      };
    return lenient({
      name,
      logLevel: ENUMS.LogLevel.Info,
      onDidChangeLogLevel: new EventEmitter().event,
      trace: line('trace'),
      debug: line('debug'),
      info: line('info'),
      warn: line('warn'),
      error: (error: unknown): void => {
        line('error')(error instanceof Error ? error.message : String(error));
      },
      append: line('append'),
      appendLine: line('line'),
      replace: line('replace'),
      clear: () => undefined,
      show: () => undefined,
      hide: () => undefined,
      dispose: () => undefined,
    });
  };

  const statusBarItem = (): object => {
    let text = '';
    return lenient({
      get text(): string {
        return text;
      },
      set text(value: string) {
        text = value;
        recorder.statusTexts.push(value);
      },
      tooltip: '',
      name: '',
      command: undefined,
      show: () => undefined,
      hide: () => undefined,
      dispose: () => undefined,
    });
  };

  const never = (): Disposable => new Disposable();
  const matches = (selector: unknown, document: FakeDocument): number => {
    const filters: unknown[] = Array.isArray(selector) ? selector : [selector];
    for (const filter of filters) {
      if (typeof filter === 'string' ? filter === document.languageId : typeof filter === 'object' && filter !== null) {
        const f = filter as { scheme?: string; language?: string };
        if (
          typeof filter === 'string' ||
          ((f.scheme === undefined || f.scheme === document.uri.scheme) &&
            (f.language === undefined || f.language === document.languageId))
        ) {
          return 10;
        }
      }
    }
    return 0;
  };

  const vscode = lenient({
    version: '1.91.0',
    env: lenient({ appName: 'fake-vscode', language: 'en', openExternal: () => Promise.resolve(false) }),
    ...ENUMS,
    Disposable,
    EventEmitter,
    Uri,
    Position,
    Range,
    TextEdit,
    WorkspaceEdit,
    CodeAction,
    CodeActionKind,
    CancellationError,
    CancellationTokenSource,
    window: lenient({
      get activeTextEditor() {
        const document = recorder.activeDocument;
        return document === undefined ? undefined : { document };
      },
      visibleTextEditors: [],
      tabGroups: lenient({ all: [], onDidChangeTabs: never }),
      onDidChangeActiveTextEditor: never,
      onDidChangeVisibleTextEditors: never,
      createOutputChannel: outputChannel,
      createStatusBarItem: statusBarItem,
      showErrorMessage: message('error'),
      showWarningMessage: message('warning'),
      showInformationMessage: message('info'),
      showTextDocument: (uri: Uri) => {
        recorder.shownDocuments.push(uri.fsPath);
        return Promise.resolve(undefined);
      },
      withProgress: (options: { title?: string }, task: (progress: unknown, token: unknown) => Promise<unknown>) => {
        recorder.progressTitles.push(options.title ?? '');
        return task({ report: () => undefined }, new CancellationTokenSource().token);
      },
    }),
    workspace: lenient({
      get textDocuments() {
        return options.documents;
      },
      notebookDocuments: [],
      isTrusted: true,
      workspaceFolders: [folder],
      getWorkspaceFolder: () => folder,
      asRelativePath: (uri: Uri) => basename(uri.fsPath),
      getConfiguration,
      onDidChangeConfiguration: recorder.configurationChanged.event,
      onDidOpenTextDocument: never,
      onDidCloseTextDocument: never,
      onDidChangeTextDocument: never,
      onDidSaveTextDocument: never,
      onWillSaveTextDocument: never,
      onDidChangeWorkspaceFolders: never,
      applyEdit: (edit: WorkspaceEdit) => {
        recorder.appliedEdits.push(edit);
        return Promise.resolve(true);
      },
    }),
    languages: lenient({
      match: matches,
      registerCodeActionsProvider: (_selector: unknown, provider: Recorder['codeActionProviders'][number]) => {
        recorder.codeActionProviders.push(provider);
        return new Disposable(() => {
          recorder.codeActionProviders.splice(recorder.codeActionProviders.indexOf(provider), 1);
        });
      },
    }),
    commands: lenient({
      registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
        if (recorder.commands.has(id)) {
          throw new Error(`command '${id}' already exists`);
        }
        recorder.commands.set(id, handler);
        return new Disposable(() => recorder.commands.delete(id));
      },
      executeCommand: (id: string, ...args: unknown[]) => {
        recorder.executedCommands.push([id, ...args]);
        const handler = recorder.commands.get(id);
        return Promise.resolve(handler === undefined ? undefined : handler(...args));
      },
    }),
    extensions: lenient({
      getExtension: (id: string) => options.extensions?.[id],
    }),
  });
  return { vscode, recorder };
}
