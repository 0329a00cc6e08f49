import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import {
  EXTENSION_ONLY_SETTINGS,
  type InspectedValue,
  configurationAnswer,
  didChangeConfigurationSettings,
  effectiveValue,
  explicitValue,
  sentValue,
  serverSettingKeys,
  settingsEditorQuery,
  settingsFingerprint,
  toServerSettings,
} from '../src/settings';

const packageJson: unknown = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));

const SERVER_KEYS = [
  'provider',
  'model',
  'baseUrl',
  'testCommand',
  'maxRounds',
  'candidates',
  'timeout',
  'testTimeout',
  'requestTimeout',
  'parallelRequests',
  'fixOnSave',
  'fallbackModel',
  'python',
  'temperature',
  'memoryLimitMb',
  'maxProcesses',
  'sandbox',
  'recordRuns',
];

function inspector(values: Record<string, InspectedValue>): (key: string) => InspectedValue | undefined {
  return (key) => values[key];
}

describe('serverSettingKeys', () => {
  it("lists the server's settings from package.json, without the extension's own", () => {
    assert.deepEqual(serverSettingKeys(packageJson), SERVER_KEYS);
    assert.deepEqual([...EXTENSION_ONLY_SETTINGS], ['serverCommand', 'trace.server']);
  });

  it('accepts a list of configuration blocks and ignores foreign keys', () => {
    const pkg = {
      contributes: {
        configuration: [
          { properties: { 'agentfix.model': {}, 'other.thing': {} } },
          { properties: { 'agentfix.serverCommand': {}, 'agentfix.trace.server': {}, 'agentfix.sandbox': {} } },
        ],
      },
    };
    assert.deepEqual(serverSettingKeys(pkg), ['model', 'sandbox']);
  });

  it('fails loudly on a package.json without settings', () => {
    assert.throws(() => serverSettingKeys({}), /contributes no agentfix/);
    assert.throws(() => serverSettingKeys(null), /contributes no agentfix/);
  });
});

describe('explicitValue / effectiveValue', () => {
  it('prefers folder over workspace over user settings, and ignores the default', () => {
    assert.equal(explicitValue({ defaultValue: 1 }), undefined);
    assert.equal(explicitValue({ defaultValue: 1, globalValue: 2 }), 2);
    assert.equal(explicitValue({ defaultValue: 1, globalValue: 2, workspaceValue: 3 }), 3);
    assert.equal(explicitValue({ globalValue: 2, workspaceValue: 3, workspaceFolderValue: 4 }), 4);
    assert.equal(explicitValue({ globalValue: 'x', workspaceValue: null }), null);
    assert.equal(explicitValue(undefined), undefined);
  });

  it('falls back to the default for display', () => {
    assert.equal(effectiveValue({ defaultValue: 'ollama' }), 'ollama');
    assert.equal(effectiveValue({ defaultValue: 'ollama', globalValue: 'openai' }), 'openai');
    assert.equal(effectiveValue(undefined), undefined);
  });
});

describe('toServerSettings (initializationOptions)', () => {
  it('sends nothing when nothing is set, so pyproject and the server defaults apply', () => {
    const defaults: Record<string, InspectedValue> = {
      provider: { defaultValue: 'ollama' },
      model: { defaultValue: 'qwen2.5-coder:1.5b' },
      baseUrl: { defaultValue: '' },
    };
    assert.deepEqual(toServerSettings(SERVER_KEYS, inspector(defaults)), {});
  });

  it('sends the explicitly set, non-null values under their camelCase keys', () => {
    const values: Record<string, InspectedValue> = {
      provider: { defaultValue: 'ollama', globalValue: 'openai' },
      model: { defaultValue: 'qwen2.5-coder:1.5b', workspaceValue: 'qwen2.5-coder:7b' },
      baseUrl: { defaultValue: '', globalValue: 'http://127.0.0.1:8080/v1' },
      testCommand: { defaultValue: '', globalValue: null },
      python: { defaultValue: '', globalValue: '/venv/bin/python', workspaceValue: '' },
      maxRounds: { defaultValue: 3, workspaceFolderValue: 5 },
      fixOnSave: { defaultValue: false, globalValue: false },
      fallbackModel: { defaultValue: '', globalValue: 'big', workspaceValue: null },
      temperature: { defaultValue: 0.2, globalValue: 0 },
    };
    assert.deepEqual(toServerSettings(SERVER_KEYS, inspector(values)), {
      provider: 'openai',
      model: 'qwen2.5-coder:7b',
      baseUrl: 'http://127.0.0.1:8080/v1',
      maxRounds: 5,
      fixOnSave: false,
      temperature: 0,
    });
  });

  it('never sends the extension-only settings', () => {
    const values: Record<string, InspectedValue> = {
      serverCommand: { globalValue: ['python', '-m', 'agentfix', 'serve'] },
      'trace.server': { globalValue: 'verbose' },
      model: { globalValue: 'm' },
    };
    const keys = [...SERVER_KEYS, 'serverCommand', 'trace.server'];
    assert.deepEqual(toServerSettings(keys, inspector(values)), { model: 'm' });
  });

  it('reads an empty optional text ("" is its default) as not set, and null too', () => {
    assert.equal(sentValue({ defaultValue: '', globalValue: '' }), undefined);
    assert.equal(sentValue({ defaultValue: '', globalValue: 'x', workspaceValue: '' }), undefined);
    assert.equal(sentValue({ defaultValue: '', globalValue: null }), undefined);
    assert.equal(sentValue({ defaultValue: '', globalValue: 'http://h' }), 'http://h');
    // where "" is no default it is a value, and the server judges it (model: min length 1)
    assert.equal(sentValue({ defaultValue: 'qwen2.5-coder:1.5b', globalValue: '' }), '');
    assert.equal(sentValue({ defaultValue: 3 }), undefined);
  });

  it('names every server key in didChangeConfiguration, null where not set (the server merges)', () => {
    const keys = ['model', 'baseUrl', 'maxRounds', 'serverCommand', 'trace.server'];
    assert.deepEqual(didChangeConfigurationSettings(keys, { model: 'm' }), {
      agentfix: { model: 'm', baseUrl: null, maxRounds: null },
    });
    assert.deepEqual(didChangeConfigurationSettings([], {}), { agentfix: {} });
  });

  it('fingerprints settings independently of key order', () => {
    assert.equal(settingsFingerprint({ a: 1, b: 'x' }), settingsFingerprint({ b: 'x', a: 1 }));
    assert.notEqual(settingsFingerprint({ a: 1 }), settingsFingerprint({ a: 2 }));
    assert.notEqual(settingsFingerprint({}), settingsFingerprint({ a: null }));
  });
});

describe('workspace/configuration (the server pulls section agentfix per document)', () => {
  it("answers agentfix with what the user set for the item's scope, other sections as VS Code does", () => {
    const scopes: (string | undefined)[] = [];
    const ours = (scopeUri: string | undefined): Record<string, unknown> => {
      scopes.push(scopeUri);
      return scopeUri === 'file:///p/a.py' ? { maxRounds: 5 } : {};
    };
    const items = [
      { section: 'agentfix', scopeUri: 'file:///p/a.py' },
      { section: 'python', scopeUri: 'file:///p/a.py' },
      { section: 'agentfix', scopeUri: null },
      { section: 'agentfix' },
    ];
    const vscodeAnswer = [{ model: 'default', serverCommand: [] }, { analysis: {} }, { x: 1 }, { x: 2 }];
    assert.deepEqual(configurationAnswer(items, vscodeAnswer, ours), [{ maxRounds: 5 }, { analysis: {} }, {}, {}]);
    assert.deepEqual(scopes, ['file:///p/a.py', undefined, undefined]);
    assert.deepEqual(configurationAnswer([{ section: 'other' }], [], ours), [null]);
  });
});

describe('settingsEditorQuery', () => {
  it('finds exactly one setting with @id:', () => {
    assert.equal(settingsEditorQuery('serverCommand'), '@id:agentfix.serverCommand');
  });
});
