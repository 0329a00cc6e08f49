/**
 * The bundled extension code, with vscode-languageclient, against the real agentfix server,
 * under a fake `vscode` module (the VS Code test host cannot be downloaded here). Needs the
 * repository's .venv with agentfix installed; skipped without it.
 */

import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

import type * as ExtensionExports from '../src/extension.js';
import { type FakeDocument, type FakeOptions, Range, type Recorder, createFakeVscode, fakeDocument } from './fakeVscode';

type ExtensionModule = typeof ExtensionExports;
type Context = Parameters<ExtensionModule['activate']>[0];

const root = resolve(__dirname, '..', '..');
const venvPython = resolve(root, '..', '.venv', 'bin', 'python');
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as FakeOptions['packageJson'];
const skip = existsSync(venvPython) ? false : `no ${venvPython} with agentfix installed`;

// `require('vscode')` (from the extension and from vscode-languageclient) gets this object,
// which forwards to the fake of the running test.
let current: object | undefined;
const forwarding = new Proxy(
  {},
  {
    get: (_target, prop): unknown => (current === undefined ? undefined : Reflect.get(current, prop)),
    // esbuild's `import * as vscode` copies the module's own keys (as lazy getters).
    ownKeys: () => (current === undefined ? [] : Reflect.ownKeys(current)),
    getOwnPropertyDescriptor: (_target, prop) => {
      if (current === undefined || !Reflect.has(current, prop)) {
        return undefined;
      }
      const value: unknown = Reflect.get(current, prop);
      return { configurable: true, enumerable: true, writable: false, value };
    },
  },
);
type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Load };
const originalLoad = loader._load;

function pythonExtension(executable: string): unknown {
  const environments = {
    getActiveEnvironmentPath: () => ({ id: executable, path: executable }),
    resolveEnvironment: () => Promise.resolve({ executable: { uri: { fsPath: executable } } }),
    onDidChangeActiveEnvironmentPath: () => ({ dispose: () => undefined }),
  };
  return { isActive: false, exports: undefined, activate: () => Promise.resolve({ environments }) };
}

async function until(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Session {
  extension: ExtensionModule;
  recorder: Recorder;
  context: { subscriptions: { dispose(): unknown }[] };
  settings: Record<string, unknown>;
  document: FakeDocument;
}

describe('the extension against the real server (fake VS Code)', { skip }, () => {
  let dir = '';
  let extension: ExtensionModule;

  before(async () => {
    loader._load = function load(this: unknown, request, parent, isMain) {
      return request === 'vscode' ? forwarding : originalLoad.call(this, request, parent, isMain);
    };
    dir = mkdtempSync(join(tmpdir(), 'agentfix-smoke-'));
    process.env['AGENTFIX_CACHE_DIR'] = join(dir, 'cache'); // the servers record runs there
    // vscode-languageclient subclasses vscode's classes while loading: a fake must be there.
    current = createFakeVscode({ packageJson, folder: dir, documents: [], settings: {} }).vscode;
    extension = await import('../src/extension.js');
  });

  after(() => {
    loader._load = originalLoad;
    delete process.env['AGENTFIX_CACHE_DIR'];
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(settings: Record<string, unknown>, extensions: Record<string, unknown>): Promise<Session> {
    const path = join(dir, 'calc.py');
    const text = 'import os\n\n\ndef add(a, b):\n    return a + b\n';
    writeFileSync(path, text);
    const document = fakeDocument(path, text);
    const { vscode, recorder } = createFakeVscode({
      packageJson,
      folder: dir,
      documents: [document],
      settings,
      extensions,
    });
    current = vscode;
    recorder.activeDocument = document;
    const context = { subscriptions: [] as { dispose(): unknown }[], extension: { packageJSON: packageJson } };
    await extension.activate(context as unknown as Context);
    return { extension, recorder, context, settings, document };
  }

  async function close(session: Session): Promise<void> {
    await session.extension.deactivate();
    for (const disposable of session.context.subscriptions) {
      disposable.dispose();
    }
    current = undefined;
  }

  function command(session: Session, id: string): (...args: unknown[]) => unknown {
    const handler = session.recorder.commands.get(id);
    assert.ok(handler, `command ${id} is registered`);
    return handler;
  }

  function changeSettings(session: Session, key: string, value: unknown): void {
    session.settings[key] = value;
    session.recorder.configurationChanged.fire({
      affectsConfiguration: (section: string) => section === 'agentfix' || section === key,
    });
  }

  it("starts with the Python extension's interpreter, lists the actions and fixes a file", async () => {
    const settings = { 'agentfix.baseUrl': 'http://127.0.0.1:9', 'agentfix.maxRounds': 1 };
    const session = await open(settings, { 'ms-python.python': pythonExtension(venvPython) });
    const { recorder } = session;
    try {
      assert.ok(
        recorder.log.some((l) => l.includes(`starting the server (python-extension): ${venvPython} -m agentfix serve`)),
        recorder.log.join('\n'),
      );
      assert.equal(
        recorder.statusTexts.at(-1),
        'agentfix: ollama · qwen2.5-coder:1.5b',
        JSON.stringify({ log: recorder.log, messages: recorder.messages }, null, 1),
      );
      for (const id of ['agentfix.fixFile', 'agentfix.showLog', 'agentfix.restart', 'agentfix.cancelFix', 'agentfix.showLastRunOfFile']) {
        command(session, id);
      }
      // vscode-languageclient registers the server's commands, which the code actions run.
      command(session, 'agentfix.fix');
      command(session, 'agentfix.cancel');

      const provider = recorder.codeActionProviders[0];
      assert.ok(provider, 'the server registered a code action provider');
      const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) };
      const actions = (await provider.provideCodeActions(
        session.document,
        new Range(0, 0, 0, 0),
        { diagnostics: [], triggerKind: 1, only: undefined },
        token,
      )) as { title: string }[];
      assert.deepEqual(
        actions.map((a) => a.title),
        ['Fix file with local agent'],
      );

      const result = await command(session, 'agentfix.fixFile')();
      assert.deepEqual(
        { ...(result as object), message: undefined },
        { status: 'fixed', applied: true, message: undefined },
      );
      assert.equal(recorder.appliedEdits.length, 1, 'the validated fix was applied as one workspace edit');
      const [[uri, edits] = []] = recorder.appliedEdits[0]?.entries() ?? [];
      assert.equal(uri?.fsPath, session.document.fileName);
      assert.deepEqual(
        edits?.map((e) => [e.range.start.line, e.range.end.line, e.newText]),
        [[0, 1, '']],
      );
      assert.ok(
        recorder.statusTexts.some((t) => t.startsWith('$(sync~spin) agentfix:')),
        `a spinner while the fix ran: ${JSON.stringify(recorder.statusTexts)}`,
      );
      assert.equal(recorder.statusTexts.at(-1), 'agentfix: ollama · qwen2.5-coder:1.5b');
      assert.ok(recorder.messages.some((m) => m.level === 'info' && m.text.startsWith('agentfix: fixed calc.py')));
      assert.ok(recorder.log.some((l) => l.includes('fix of calc.py: fixed, applied')));

      await command(session, 'agentfix.cancelFix')();
      assert.equal(recorder.messages.at(-1)?.text, 'agentfix: no fix of calc.py is running.');

      // The fix was recorded: its steps open as a text file of the cache.
      const shown = (await command(session, 'agentfix.showLastRunOfFile')()) as { shown: boolean; path: string };
      assert.equal(shown.shown, true, JSON.stringify(shown));
      assert.deepEqual(recorder.shownDocuments, [shown.path]);
      assert.ok(shown.path.startsWith(join(dir, 'cache')), shown.path);
      assert.match(readFileSync(shown.path, 'utf8'), /=== step \d+: baseline/);

      // A changed setting reaches the server as workspace/didChangeConfiguration.
      changeSettings(session, 'agentfix.maxRounds', 99);
      await until('the server to reject maxRounds=99', () =>
        recorder.messages.some((m) => m.text.includes('from workspace/didChangeConfiguration')),
      );
      assert.ok(recorder.messages.some((m) => /max_rounds.*99/.test(m.text)));

      // The status bar follows provider and model.
      changeSettings(session, 'agentfix.model', 'qwen2.5-coder:7b');
      assert.equal(recorder.statusTexts.at(-1), 'agentfix: ollama · qwen2.5-coder:7b');

      // Restarting sends the settings again, as initializationOptions.
      await command(session, 'agentfix.restart')();
      await until('the server to reject maxRounds=99 at initialize', () =>
        recorder.messages.some((m) => m.text.includes('from initializationOptions')),
      );
      command(session, 'agentfix.fix');
    } finally {
      await close(session);
    }
  });

  it('names the interpreter and the pip fix when agentfix is not installed there', { skip: process.platform === 'win32' }, async () => {
    const python = join(dir, 'bare python');
    writeFileSync(python, `#!/bin/sh\necho "ModuleNotFoundError: No module named 'agentfix'" >&2\nexit 1\n`);
    chmodSync(python, 0o755);
    const session = await open({}, { 'ms-python.python': pythonExtension(python) });
    try {
      const error = session.recorder.messages.find((m) => m.level === 'error');
      assert.ok(error, 'an error notification');
      assert.ok(error.text.includes(`agentfix is not installed in the Python interpreter ${python}`), error.text);
      assert.ok(error.text.includes(`'${python}' -m pip install agentfix`), error.text);
      assert.deepEqual(error.items, ['Select Interpreter', 'Open Settings', 'Retry']);
      assert.equal(session.recorder.statusTexts.at(-1), '$(warning) agentfix: ollama · qwen2.5-coder:1.5b');
      assert.equal(session.recorder.commands.has('agentfix.fix'), false, 'no server was started');

      await command(session, 'agentfix.fixFile')();
      assert.match(session.recorder.messages.at(-1)?.text ?? '', /the language server is not running/);
    } finally {
      await close(session);
    }
  });

  it('reports a serverCommand that does not start', async () => {
    const missing = join(dir, 'no-such-agentfix');
    const session = await open({ 'agentfix.serverCommand': [missing, 'serve'] }, {});
    try {
      await until('the start failure', () =>
        session.recorder.messages.some((m) => m.text.includes('did not start with')),
      );
      const error = session.recorder.messages.find((m) => m.text.includes('did not start with'));
      assert.ok(error?.text.includes(`\`${missing} serve\``), error?.text);
      assert.ok(error?.text.includes('Check the agentfix.serverCommand setting.'), error?.text);
      assert.equal(session.recorder.statusTexts.at(-1), '$(warning) agentfix: ollama · qwen2.5-coder:1.5b');
    } finally {
      await close(session);
    }
  });
});
