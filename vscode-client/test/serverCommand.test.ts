import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  DEFAULT_PYTHON,
  type ExtensionLike,
  describeCommand,
  environmentsApi,
  interpreterFromPythonExtension,
  parseServerCommandSetting,
  resolveServerCommand,
  shellQuote,
  withTimeout,
} from '../src/serverCommand';

describe('parseServerCommandSetting', () => {
  it('treats a missing value as empty', () => {
    assert.deepEqual(parseServerCommandSetting(undefined), { ok: true, value: [] });
    assert.deepEqual(parseServerCommandSetting(null), { ok: true, value: [] });
    assert.deepEqual(parseServerCommandSetting([]), { ok: true, value: [] });
  });

  it('accepts a list of strings', () => {
    const value = ['/opt/py/bin/python', '-m', 'agentfix', 'serve'];
    assert.deepEqual(parseServerCommandSetting(value), { ok: true, value });
  });

  it('rejects a plain string with an example', () => {
    const parsed = parseServerCommandSetting('python -m agentfix serve');
    assert.equal(parsed.ok, false);
    assert.match(parsed.problem, /must be a list of strings, e\.g\. \["/);
  });

  it('names the bad element', () => {
    const parsed = parseServerCommandSetting(['python', 3]);
    assert.equal(parsed.ok, false);
    assert.match(parsed.problem, /agentfix\.serverCommand\[1\] must be a non-empty string, .*; got 3\./);
    const empty = parseServerCommandSetting(['python', ' ']);
    assert.equal(empty.ok, false);
  });
});

describe('resolveServerCommand', () => {
  it('uses serverCommand when set, without an interpreter to check', () => {
    const command = resolveServerCommand(['agentfix', 'serve'], '/venv/bin/python');
    assert.deepEqual(command, { command: 'agentfix', args: ['serve'], python: undefined, source: 'setting' });
  });

  it("runs the Python extension's interpreter", () => {
    const command = resolveServerCommand([], '/home/me/proj/.venv/bin/python');
    assert.deepEqual(command, {
      command: '/home/me/proj/.venv/bin/python',
      args: ['-m', 'agentfix', 'serve'],
      python: '/home/me/proj/.venv/bin/python',
      source: 'python-extension',
    });
  });

  it('falls back to python3', () => {
    for (const interpreter of [undefined, '', '  ']) {
      const command = resolveServerCommand([], interpreter);
      assert.equal(DEFAULT_PYTHON, 'python3');
      assert.deepEqual(command, {
        command: 'python3',
        args: ['-m', 'agentfix', 'serve'],
        python: 'python3',
        source: 'default',
      });
    }
  });

  it('does not share the args array between calls', () => {
    const first = resolveServerCommand([], undefined);
    (first.args as string[]).push('--tcp');
    assert.deepEqual(resolveServerCommand([], undefined).args, ['-m', 'agentfix', 'serve']);
  });
});

describe('shellQuote / describeCommand', () => {
  it('leaves plain paths alone and quotes the rest', () => {
    assert.equal(shellQuote('/usr/bin/python3'), '/usr/bin/python3');
    assert.equal(shellQuote('C:\\Python312\\python.exe'), 'C:\\Python312\\python.exe');
    assert.equal(shellQuote('/My Projects/py'), `'/My Projects/py'`);
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
    assert.equal(shellQuote(''), `''`);
  });

  it('joins a command line', () => {
    assert.equal(
      describeCommand({ command: '/a b/python', args: ['-m', 'agentfix', 'serve'] }),
      `'/a b/python' -m agentfix serve`,
    );
  });
});

interface FakeEnv {
  active?: { id: string; path: string };
  resolved?: { executable?: { uri?: { fsPath: string } } } | undefined;
  throwOnResolve?: boolean;
  neverResolve?: boolean;
}

function fakeExtension(env: FakeEnv, options: { active?: boolean; exports?: unknown } = {}): ExtensionLike & { activations: number; resources: unknown[] } {
  const resources: unknown[] = [];
  const api = {
    environments: {
      getActiveEnvironmentPath(resource?: unknown) {
        resources.push(resource);
        return env.active ?? { id: 'x', path: '/envs/x' };
      },
      resolveEnvironment(): Promise<unknown> {
        if (env.throwOnResolve === true) {
          return Promise.reject(new Error('boom'));
        }
        if (env.neverResolve === true) {
          return new Promise(() => undefined);
        }
        return Promise.resolve(env.resolved);
      },
    },
  };
  const exports = 'exports' in options ? options.exports : api;
  const fake = {
    isActive: options.active ?? false,
    exports: options.active === true ? exports : undefined,
    activations: 0,
    resources,
    activate(): Promise<unknown> {
      fake.activations += 1;
      return Promise.resolve(exports);
    },
  };
  return fake;
}

describe('interpreterFromPythonExtension', () => {
  it('says so when the Python extension is not installed', async () => {
    const lookup = await interpreterFromPythonExtension(undefined, undefined);
    assert.equal(lookup.python, undefined);
    assert.match(lookup.note, /ms-python\.python\) is not installed/);
  });

  it('activates the extension and returns the resolved executable', async () => {
    const ext = fakeExtension({ resolved: { executable: { uri: { fsPath: '/proj/.venv/bin/python' } } } });
    const lookup = await interpreterFromPythonExtension(ext, 'folder-uri');
    assert.equal(lookup.python, '/proj/.venv/bin/python');
    assert.equal(ext.activations, 1);
    assert.deepEqual(ext.resources, ['folder-uri']);
    assert.deepEqual(
      resolveServerCommand([], lookup.python).command,
      '/proj/.venv/bin/python',
    );
  });

  it('uses the exports of an already active extension', async () => {
    const ext = fakeExtension({ resolved: { executable: { uri: { fsPath: '/usr/bin/python3.12' } } } }, { active: true });
    const lookup = await interpreterFromPythonExtension(ext, undefined);
    assert.equal(lookup.python, '/usr/bin/python3.12');
    assert.equal(ext.activations, 0);
  });

  it('falls back when the environment does not resolve', async () => {
    for (const resolved of [undefined, {}, { executable: {} }, { executable: { uri: { fsPath: '' } } }]) {
      const lookup = await interpreterFromPythonExtension(fakeExtension({ resolved }), undefined);
      assert.equal(lookup.python, undefined);
      assert.match(lookup.note, /could not resolve the selected environment \/envs\/x/);
    }
  });

  it('falls back when the extension has no environments API', async () => {
    for (const exports of [undefined, null, 42, {}, { environments: {} }]) {
      const lookup = await interpreterFromPythonExtension(fakeExtension({}, { exports }), undefined);
      assert.equal(lookup.python, undefined);
      assert.match(lookup.note, /no environments API/);
    }
  });

  it('falls back when the API throws or hangs', async () => {
    const failed = await interpreterFromPythonExtension(fakeExtension({ throwOnResolve: true }), undefined);
    assert.equal(failed.python, undefined);
    assert.match(failed.note, /failed: boom/);
    const hung = await interpreterFromPythonExtension(fakeExtension({ neverResolve: true }), undefined, 50);
    assert.equal(hung.python, undefined);
    assert.match(hung.note, /took longer than 50 ms/);
  });

  it('recognizes the environments API', () => {
    assert.equal(environmentsApi({ environments: { getActiveEnvironmentPath: 1, resolveEnvironment: () => 1 } }), undefined);
    const api = { getActiveEnvironmentPath: () => ({ id: '', path: '' }), resolveEnvironment: () => Promise.resolve(undefined) };
    assert.equal(environmentsApi({ environments: api }), api);
  });
});

describe('withTimeout', () => {
  it('passes the value through and clears its timer', async () => {
    assert.equal(await withTimeout(Promise.resolve(7), 10_000, 'x'), 7);
  });

  it('rejects late promises', async () => {
    await assert.rejects(withTimeout(new Promise(() => undefined), 20, 'waiting'), /waiting took longer than 20 ms/);
  });
});
