/**
 * The bundled extension code, with vscode-languageclient, against the real agentfix server,
 * under a fake `vscode` module (the VS Code test host cannot be downloaded here). Needs the
 * repository's .venv with agentfix installed; skipped without it.
 */

import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import Module from 'node:module';
import type { AddressInfo, Socket } from 'node:net';
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

/** An Ollama that lists the model and never answers a chat (the fix waits until cancelled). */
async function hangingOllama(): Promise<{ url: string; chats: () => number; close: () => Promise<void> }> {
  let chats = 0;
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    if (request.url === '/api/tags') {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ models: [{ name: 'qwen2.5-coder:1.5b', model: 'qwen2.5-coder:1.5b' }] }));
    } else if (request.url === '/api/show') {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ model_info: { 'general.architecture': 'qwen2', 'qwen2.context_length': 32768 } }));
    } else {
      chats += 1; // /api/chat: never answered
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    chats: () => chats,
    close: () =>
      new Promise((done) => {
        sockets.forEach((socket) => socket.destroy());
        server.close(() => {
          done();
        });
      }),
  };
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

  async function open(
    settings: Record<string, unknown>,
    extensions: Record<string, unknown>,
    choose?: FakeOptions['choose'],
    text = 'import os\n\n\ndef add(a, b):\n    return a + b\n',
  ): Promise<Session> {
    const path = join(dir, 'calc.py');
    writeFileSync(path, text);
    const document = fakeDocument(path, text);
    const { vscode, recorder } = createFakeVscode({
      packageJson,
      folder: dir,
      documents: [document],
      settings,
      extensions,
      ...(choose === undefined ? {} : { choose }),
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
      const listed = async (line: number): Promise<string[]> => {
        const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) };
        const context = { diagnostics: [], triggerKind: 1, only: undefined };
        const found = (await provider.provideCodeActions(session.document, new Range(line, 0, line, 0), context, token)) as {
          title: string;
          kind?: { value: string };
        }[];
        return found.map((a) => `${a.kind?.value ?? '?'}: ${a.title}`);
      };
      assert.deepEqual(await listed(0), ['source.agentfix: Fix file with local agent']);
      assert.deepEqual(await listed(4), [
        'refactor.rewrite: Fix function `add` with local agent',
        'source.agentfix: Fix file with local agent',
      ]);

      // The server answers at once; the fix goes on in the background with work-done
      // progress (the spinner), then applies its edit and shows its result itself.
      const result = await command(session, 'agentfix.fixFile')();
      assert.equal((result as { status?: unknown }).status, 'started', JSON.stringify(result));
      assert.ok(recorder.log.some((l) => l.includes('fix of calc.py: started')), recorder.log.join('\n'));
      await until('the fix to end', () => recorder.messages.some((m) => m.text.startsWith('agentfix: fixed calc.py')));
      await until('the spinner to stop', () => recorder.statusTexts.at(-1) === 'agentfix: ollama · qwen2.5-coder:1.5b');
      assert.equal(recorder.appliedEdits.length, 1, 'the validated fix was applied as one workspace edit');
      const [[uri, edits] = []] = recorder.appliedEdits[0]?.entries() ?? [];
      assert.equal(uri?.fsPath, session.document.fileName);
      assert.deepEqual(
        edits?.map((e) => [e.range.start.line, e.range.end.line, e.newText]),
        [[0, 1, '']],
      );
      assert.deepEqual(recorder.progressTitles, ['Fixing calc.py with local agent']);
      assert.ok(
        recorder.statusTexts.some((t) => t.startsWith('$(sync~spin) agentfix:')),
        `a spinner while the fix ran: ${JSON.stringify(recorder.statusTexts)}`,
      );
      // one message for the result: the server's, never a second one from the extension
      assert.deepEqual(
        recorder.messages.map((m) => m.level),
        ['info'],
        JSON.stringify(recorder.messages),
      );
      assert.match(recorder.messages[0]?.text ?? '', /^agentfix: fixed calc\.py/);
      // the server pulled section agentfix for the document, answered by the extension
      assert.ok(
        recorder.configurationScopes.includes(`agentfix ${session.document.uri.toString()}`),
        JSON.stringify(recorder.configurationScopes),
      );

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
    const session = await open({}, { 'ms-python.python': pythonExtension(python) }, () => 'Open Settings');
    try {
      const error = session.recorder.messages.find((m) => m.level === 'error');
      assert.ok(error, 'an error notification');
      assert.ok(error.text.includes(`agentfix is not installed in the Python interpreter ${python}`), error.text);
      assert.ok(error.text.includes(`'${python}' -m pip install /path/to/agentfix`), error.text);
      assert.deepEqual(error.items, ['Select Interpreter', 'Open Settings', 'Retry']);
      // "Open Settings" shows exactly agentfix.serverCommand (@id:), whichever tab is open
      await until('the settings editor', () => session.recorder.executedCommands.length > 0);
      assert.deepEqual(session.recorder.executedCommands, [['workbench.action.openSettings', '@id:agentfix.serverCommand']]);
      assert.equal(session.recorder.statusTexts.at(-1), '$(warning) agentfix: ollama · qwen2.5-coder:1.5b');
      assert.equal(session.recorder.commands.has('agentfix.fix'), false, 'no server was started');

      await command(session, 'agentfix.fixFile')();
      assert.match(session.recorder.messages.at(-1)?.text ?? '', /the language server is not running/);
    } finally {
      await close(session);
    }
  });

  it('a fix runs in the background: busy while it runs, cancelled from the command, the spinner ends with it', async () => {
    const model = await hangingOllama();
    // an undefined name: no deterministic fix, so the model is asked (and never answers)
    const settings = { 'agentfix.baseUrl': model.url, 'agentfix.maxRounds': 1, 'agentfix.candidates': 1 };
    const session = await open(settings, { 'ms-python.python': pythonExtension(venvPython) }, undefined, 'def add(a, b):\n    return a + c\n');
    const { recorder } = session;
    const idle = 'agentfix: ollama · qwen2.5-coder:1.5b';
    try {
      await until('the server to run', () => recorder.statusTexts.at(-1) === idle);
      const first = (await command(session, 'agentfix.fixFile')()) as { status: string };
      assert.equal(first.status, 'started', JSON.stringify(first));
      await until('the model to be asked', () => model.chats() > 0, 60_000);
      assert.equal(recorder.statusTexts.at(-1), `$(sync~spin) ${idle}`, 'the spinner follows the running fix');

      // a second fix of the same file is refused; the server says so, once
      const second = (await command(session, 'agentfix.fixFile')()) as { status: string };
      assert.equal(second.status, 'busy', JSON.stringify(second));
      assert.ok(recorder.log.some((l) => l.includes('fix of calc.py: not started (busy)')), recorder.log.join('\n'));
      await until('the busy message', () => recorder.messages.some((m) => m.text.includes('already running')));
      assert.equal(recorder.messages.filter((m) => m.text.includes('already running')).length, 1);

      await command(session, 'agentfix.cancelFix')();
      assert.ok(recorder.messages.some((m) => m.text === 'agentfix: cancelling the fix of calc.py.'), JSON.stringify(recorder.messages));
      await until('the spinner to stop after the cancel', () => recorder.statusTexts.at(-1) === idle, 15_000);
      assert.equal(recorder.appliedEdits.length, 0);
      // the server's result, once; nothing else went wrong
      await until('the result message', () => recorder.messages.some((m) => m.level === 'warning' && /cancelled/.test(m.text)));
      const shown = recorder.messages.map((m) => `${m.level}: ${m.text}`);
      assert.equal(shown.length, 3, JSON.stringify(shown, null, 1));
      assert.match(shown[0] ?? '', /^warning: agentfix: .*already running/);
      assert.equal(shown[1], 'info: agentfix: cancelling the fix of calc.py.');
      assert.match(shown[2] ?? '', /^warning: agentfix: .*cancelled/);
    } finally {
      await close(session);
      await model.close();
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
