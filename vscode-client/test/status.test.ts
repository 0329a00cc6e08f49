import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ActivityTracker, statusView } from '../src/status';

describe('statusView', () => {
  it('shows provider and model', () => {
    const view = statusView({ provider: 'ollama', model: 'qwen2.5-coder:1.5b', running: 0, state: 'running' });
    assert.equal(view.text, 'agentfix: ollama · qwen2.5-coder:1.5b');
    assert.match(view.tooltip, /language server: running/);
    assert.match(view.tooltip, /Click to show the log\./);
  });

  it('spins while a fix runs', () => {
    const view = statusView({ provider: 'openai', model: 'm', running: 2, state: 'running' });
    assert.equal(view.text, '$(sync~spin) agentfix: openai · m');
    assert.match(view.tooltip, /2 fixes are running\./);
    assert.match(statusView({ provider: 'openai', model: 'm', running: 1, state: 'running' }).tooltip, /A fix is running\./);
  });

  it('warns when the server is not running', () => {
    const failed = statusView({ provider: 'ollama', model: 'm', running: 0, state: 'failed' });
    assert.equal(failed.text, '$(warning) agentfix: ollama · m');
    assert.match(failed.tooltip, /could not start \(see the log\)/);
    assert.equal(statusView({ provider: 'ollama', model: 'm', running: 0, state: 'stopped' }).text, '$(warning) agentfix: ollama · m');
    assert.equal(statusView({ provider: 'ollama', model: 'm', running: 0, state: 'starting' }).text, 'agentfix: ollama · m');
  });

  it('survives odd setting values', () => {
    assert.equal(statusView({ provider: undefined, model: '', running: 0, state: 'running' }).text, 'agentfix: ollama · ?');
    assert.equal(statusView({ provider: 3, model: null, running: 0, state: 'running' }).text, 'agentfix: ollama · ?');
  });
});

describe('ActivityTracker', () => {
  it('follows work-done progress begin/report/end', () => {
    const changes: number[] = [];
    const tracker = new ActivityTracker((n) => changes.push(n));
    tracker.progress('agentfix-1', 'begin');
    tracker.progress('agentfix-1', 'report');
    tracker.progress(7, 'begin');
    assert.equal(tracker.running, 2);
    tracker.progress('agentfix-1', 'end');
    tracker.progress('agentfix-1', 'end');
    tracker.progress(7, 'end');
    assert.equal(tracker.running, 0);
    assert.deepEqual(changes, [1, 2, 1, 0]);
  });

  it('counts a key once and clears everything when the server stops', () => {
    const changes: number[] = [];
    const tracker = new ActivityTracker((n) => changes.push(n));
    tracker.start('command:file:///a.py');
    tracker.start('command:file:///a.py');
    tracker.progress('t', 'begin');
    tracker.clear();
    tracker.clear();
    assert.equal(tracker.running, 0);
    assert.deepEqual(changes, [1, 2, 0]);
    tracker.end('never-started');
    assert.deepEqual(changes, [1, 2, 0]);
  });
});
