import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  COMMANDS,
  SERVER_COMMANDS,
  cancelArguments,
  cancelMessage,
  describeFixAnswer,
  describeShownRun,
  fixFileArguments,
  fixProblem,
  parseFixAnswer,
  showLastRunArguments,
} from '../src/commands';

describe('server command arguments', () => {
  it('fixes the whole file: {uri, version, targets: []}', () => {
    assert.equal(SERVER_COMMANDS.fix, 'agentfix.fix');
    assert.deepEqual(fixFileArguments('file:///p/calc.py', 4), [{ uri: 'file:///p/calc.py', version: 4, targets: [] }]);
  });

  it('cancels one document, or every fix without one', () => {
    assert.equal(SERVER_COMMANDS.cancel, 'agentfix.cancel');
    assert.deepEqual(cancelArguments('file:///p/calc.py'), [{ uri: 'file:///p/calc.py' }]);
    assert.deepEqual(cancelArguments(undefined), []);
  });

  it('shows the last run of one document', () => {
    assert.equal(SERVER_COMMANDS.showLastRun, 'agentfix.showLastRun');
    assert.deepEqual(showLastRunArguments('file:///p/calc.py'), [{ uri: 'file:///p/calc.py' }]);
    assert.equal(
      describeShownRun('calc.py', { shown: true, path: '/c/run.txt', message: '' }),
      'last run of calc.py: opened /c/run.txt',
    );
    assert.equal(
      describeShownRun('calc.py', { shown: false, path: null, message: 'agentfix: no run is recorded' }),
      'last run of calc.py: agentfix: no run is recorded',
    );
    assert.equal(describeShownRun('calc.py', 3), 'last run of calc.py: unexpected result 3');
  });

  it('extension commands do not collide with the server commands the client registers', () => {
    const ours = new Set<string>(Object.values(COMMANDS));
    for (const id of Object.values(SERVER_COMMANDS)) {
      assert.equal(ours.has(id), false, id);
    }
  });
});

describe('fixProblem', () => {
  const file = { scheme: 'file' };
  it('accepts a saved Python file', () => {
    assert.equal(fixProblem({ languageId: 'python', isUntitled: false, uri: file }), undefined);
  });

  it('explains what is missing', () => {
    assert.match(fixProblem(undefined) ?? '', /open a Python file first/);
    assert.match(fixProblem({ languageId: 'markdown', isUntitled: false, uri: file }) ?? '', /this one is markdown/);
    assert.match(fixProblem({ languageId: 'python', isUntitled: true, uri: { scheme: 'untitled' } }) ?? '', /save the file/);
    assert.match(fixProblem({ languageId: 'python', isUntitled: false, uri: { scheme: 'vscode-vfs' } }) ?? '', /save the file/);
  });
});

describe('results', () => {
  it('reads the immediate answer: started is not the outcome', () => {
    const started = { status: 'started', message: 'fixing calc.py with local agent', applied: false };
    assert.deepEqual(parseFixAnswer(started), { kind: 'started', message: 'fixing calc.py with local agent' });
    assert.deepEqual(parseFixAnswer({ status: 'started', message: 'm', progress: 'agentfix-1' }), {
      kind: 'started',
      message: 'm',
    });
    assert.equal(
      describeFixAnswer('calc.py', started),
      'fix of calc.py: started (fixing calc.py with local agent); progress, edits and result follow from the server',
    );
  });

  it('reads busy and error answers as refusals', () => {
    const busy = { status: 'busy', message: 'agentfix: a fix of calc.py is already running', applied: false };
    assert.deepEqual(parseFixAnswer(busy), { kind: 'refused', status: 'busy', message: busy.message });
    assert.deepEqual(parseFixAnswer({ status: 'error', message: 'no file' }), {
      kind: 'refused',
      status: 'error',
      message: 'no file',
    });
    assert.equal(
      describeFixAnswer('calc.py', busy),
      'fix of calc.py: not started (busy): agentfix: a fix of calc.py is already running',
    );
  });

  it('reads a whole result (an older server, or "wait": true)', () => {
    const outcome = { status: 'fixed', message: 'calc.py: fixed', applied: true };
    assert.deepEqual(parseFixAnswer(outcome), { kind: 'finished', ...outcome });
    assert.equal(describeFixAnswer('calc.py', outcome), 'fix of calc.py: fixed, applied: calc.py: fixed');
    assert.equal(
      describeFixAnswer('calc.py', { status: 'failed', message: 'no fix', applied: false }),
      'fix of calc.py: failed, not applied: no fix',
    );
  });

  it('flags anything else as unexpected', () => {
    for (const value of [null, 3, 'started', { status: 'fixed', message: 'x' }, { status: 'started' }]) {
      assert.deepEqual(parseFixAnswer(value), { kind: 'unexpected' }, JSON.stringify(value));
    }
    assert.equal(describeFixAnswer('calc.py', 3), 'fix of calc.py: unexpected answer 3');
  });

  it('words the cancel answer', () => {
    assert.equal(cancelMessage({ cancelled: 1 }, 'calc.py'), 'agentfix: cancelling the fix of calc.py.');
    assert.equal(cancelMessage({ cancelled: 0 }, 'calc.py'), 'agentfix: no fix of calc.py is running.');
    assert.equal(cancelMessage({ cancelled: 0 }, undefined), 'agentfix: no fix is running.');
    assert.equal(cancelMessage({ cancelled: 1 }, undefined), 'agentfix: cancelling 1 running fix.');
    assert.equal(cancelMessage({ cancelled: 3 }, undefined), 'agentfix: cancelling 3 running fixes.');
    assert.equal(cancelMessage(null, undefined), 'agentfix: no fix is running.');
  });
});
