import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  type ImportCheck,
  type Runner,
  checkAgentfixImport,
  classifyImportCheck,
  importCheckMessage,
  installHint,
  shouldStart,
  startFailureMessage,
} from '../src/pythonCheck';
import { resolveServerCommand } from '../src/serverCommand';

const MISSING = "Traceback (most recent call last):\n  File \"<string>\", line 1, in <module>\nModuleNotFoundError: No module named 'agentfix'\n";

describe('classifyImportCheck', () => {
  it('reads success, a missing module, a missing interpreter, a timeout and other failures', () => {
    assert.deepEqual(classifyImportCheck(null, '', 1000), { kind: 'ok' });
    assert.deepEqual(classifyImportCheck({ message: 'exit 1', code: 1 }, MISSING, 1000), {
      kind: 'not-installed',
      detail: "ModuleNotFoundError: No module named 'agentfix'",
    });
    assert.deepEqual(classifyImportCheck({ message: 'spawn python9 ENOENT', code: 'ENOENT' }, '', 1000), {
      kind: 'interpreter-not-found',
      detail: 'ENOENT',
    });
    assert.deepEqual(classifyImportCheck({ message: 'killed', code: null, killed: true, signal: 'SIGTERM' }, '', 20_000), {
      kind: 'timeout',
      detail: 'no answer within 20 s',
    });
    assert.deepEqual(
      classifyImportCheck({ message: 'exit 1', code: 1 }, 'Traceback...\nImportError: cannot import name x\n', 1000),
      { kind: 'failed', detail: 'ImportError: cannot import name x' },
    );
    assert.deepEqual(classifyImportCheck({ message: 'Command failed', code: 139, signal: 'SIGSEGV' }, '', 1000), {
      kind: 'failed',
      detail: 'Command failed',
    });
  });

  it('starts the server only when the import worked or merely was slow', () => {
    const checks: ImportCheck[] = [
      { kind: 'ok' },
      { kind: 'timeout', detail: '' },
      { kind: 'not-installed', detail: '' },
      { kind: 'interpreter-not-found', detail: '' },
      { kind: 'failed', detail: '' },
    ];
    assert.deepEqual(checks.map(shouldStart), [true, true, false, false, false]);
  });
});

describe('checkAgentfixImport with a fake runner', () => {
  it('runs <python> -c "import agentfix" with the timeout', async () => {
    const calls: unknown[] = [];
    const runner: Runner = (file, args, timeoutMs) => {
      calls.push([file, [...args], timeoutMs]);
      return Promise.resolve({ error: { message: 'exit 1', code: 1 }, stdout: '', stderr: MISSING });
    };
    const check = await checkAgentfixImport('/venv/bin/python', 1234, runner);
    assert.equal(check.kind, 'not-installed');
    assert.deepEqual(calls, [['/venv/bin/python', ['-c', 'import agentfix'], 1234]]);
  });
});

describe('checkAgentfixImport with real processes', () => {
  let dir = '';
  const script = (name: string, body: string): string => {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'agentfix-check-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const posix = process.platform !== 'win32';

  it('ok when the interpreter imports agentfix', { skip: !posix }, async () => {
    const python = script('good-python', '[ "$1" = "-c" ] && [ "$2" = "import agentfix" ] && exit 0; exit 3');
    assert.deepEqual(await checkAgentfixImport(python, 10_000), { kind: 'ok' });
  });

  it('not-installed from the ModuleNotFoundError', { skip: !posix }, async () => {
    const python = script('bare-python', `printf '%s' "${MISSING.replace(/"/g, '\\"')}" >&2; exit 1`);
    const check = await checkAgentfixImport(python, 10_000);
    assert.deepEqual(check, { kind: 'not-installed', detail: "ModuleNotFoundError: No module named 'agentfix'" });
  });

  it('interpreter-not-found for a path that does not exist', async () => {
    const check = await checkAgentfixImport(join(dir, 'no-such-python'), 10_000);
    assert.equal(check.kind, 'interpreter-not-found');
  });

  it('timeout when the interpreter hangs, and the process is killed', { skip: !posix }, async () => {
    const python = script('slow-python', 'exec sleep 30');
    const started = Date.now();
    const check = await checkAgentfixImport(python, 300);
    assert.equal(check.kind, 'timeout');
    assert.ok(Date.now() - started < 10_000, 'the check waited for the hung process');
  });

  const venvPython = resolve(__dirname, '..', '..', '..', '.venv', 'bin', 'python');
  it('ok with the repository virtual environment (agentfix installed)', { skip: !existsSync(venvPython) }, async () => {
    assert.deepEqual(await checkAgentfixImport(venvPython, 30_000), { kind: 'ok' });
  });
});

describe('messages', () => {
  it('never tells users to install a name this project does not own on PyPI', () => {
    const checks: ImportCheck[] = [
      { kind: 'not-installed', detail: 'x' },
      { kind: 'interpreter-not-found', detail: 'ENOENT' },
      { kind: 'failed', detail: 'x' },
    ];
    const texts = [
      installHint('python3'),
      ...checks.map((check) => importCheckMessage('python3', check) ?? ''),
      startFailureMessage(resolveServerCommand([], 'python3'), 'x'),
    ];
    for (const text of texts) {
      assert.doesNotMatch(text, /install agentfix\b/, text);
    }
  });

  it('names the interpreter and the pip fix when agentfix is missing', () => {
    const message = importCheckMessage('/usr/bin/python3', { kind: 'not-installed', detail: 'x' }) ?? '';
    assert.match(message, /agentfix is not installed in the Python interpreter \/usr\/bin\/python3/);
    assert.ok(message.includes('`/usr/bin/python3 -m pip install /path/to/agentfix`'), message);
    assert.match(message, /\/path\/to\/agentfix: your agentfix source checkout, or a wheel built from it/);
    assert.match(message, /set agentfix\.serverCommand/);
  });

  it('quotes an interpreter path with spaces in the pip hint', () => {
    assert.equal(installHint('/My Envs/py/bin/python'), `'/My Envs/py/bin/python' -m pip install /path/to/agentfix`);
  });

  it('explains a missing interpreter and other failures', () => {
    const missing = importCheckMessage('python3', { kind: 'interpreter-not-found', detail: 'ENOENT' }) ?? '';
    assert.match(missing, /The Python interpreter python3 could not be run \(ENOENT\)/);
    assert.match(missing, /python3 -m pip install \/path\/to\/agentfix/);
    const failed = importCheckMessage('python3', { kind: 'failed', detail: 'SyntaxError: bad' }) ?? '';
    assert.match(failed, /`python3 -c "import agentfix"` failed \(SyntaxError: bad\)/);
    assert.equal(importCheckMessage('python3', { kind: 'ok' }), undefined);
    assert.equal(importCheckMessage('python3', { kind: 'timeout', detail: '' }), undefined);
  });

  it('reports a start failure with the command line and the fix', () => {
    const python = startFailureMessage(resolveServerCommand([], '/venv/bin/python'), new Error('Connection closed'));
    assert.match(python, /did not start with `\/venv\/bin\/python -m agentfix serve`: Connection closed\./);
    assert.match(python, /\/venv\/bin\/python -m pip install \/path\/to\/agentfix/);
    const custom = startFailureMessage(resolveServerCommand(['my-agentfix', 'serve'], undefined), 'spawn ENOENT');
    assert.match(custom, /`my-agentfix serve`: spawn ENOENT\. Check the agentfix\.serverCommand setting\./);
  });
});
