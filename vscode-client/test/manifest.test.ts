// package.json agrees with the code: commands, activation, entry point, engine and types.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { COMMANDS } from '../src/commands';
import { EXTENSION_ONLY_SETTINGS, SECTION } from '../src/settings';

interface Manifest {
  name: string;
  version: string;
  publisher: string;
  license: string;
  main: string;
  engines: { vscode: string };
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category: string }[];
    configuration: {
      properties: Record<string, { type: unknown; default: unknown; description: string; scope?: string }>;
    };
  };
  capabilities: { untrustedWorkspaces: { supported: unknown }; virtualWorkspaces: unknown };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
}

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

describe('package.json', () => {
  it('is agentfix 0.1.0, MIT, bundled to out/extension.js', () => {
    assert.equal(manifest.name, 'agentfix');
    assert.equal(manifest.version, '0.1.0');
    assert.equal(manifest.license, 'MIT');
    assert.ok(manifest.publisher);
    assert.equal(manifest.main, './out/extension.js');
  });

  it('contributes exactly the commands the extension registers, with their titles', () => {
    const contributed = Object.fromEntries(manifest.contributes.commands.map((c) => [c.command, `${c.category}: ${c.title}`]));
    assert.deepEqual(contributed, {
      [COMMANDS.fixFile]: 'agentfix: Fix this file with local agent',
      [COMMANDS.showLog]: 'agentfix: Show log',
      [COMMANDS.restart]: 'agentfix: Restart server',
      [COMMANDS.cancelFix]: 'agentfix: Cancel running fix',
      [COMMANDS.showLastRun]: 'agentfix: Show last run of this file',
    });
  });

  it('activates on Python files and on its commands', () => {
    assert.deepEqual(manifest.activationEvents, [
      'onLanguage:python',
      ...Object.values(COMMANDS).map((id) => `onCommand:${id}`),
    ]);
  });

  it('declares the extension-only settings', () => {
    const properties = manifest.contributes.configuration.properties;
    for (const key of EXTENSION_ONLY_SETTINGS) {
      assert.ok(properties[`${SECTION}.${key}`], key);
    }
    assert.deepEqual(properties['agentfix.serverCommand']?.default, []);
    assert.equal(properties['agentfix.trace.server']?.default, 'off');
  });

  it('reads agentfix.serverCommand from User settings in remote windows too (scope window)', () => {
    // "machine" and "machine-overridable" values are dropped from the (local) User settings
    // in a remote window (SSH, WSL, containers, code-server), and the Settings editor's
    // User tab hides such settings there: the setting then seems ignored and "Open
    // Settings" finds nothing.
    const properties = manifest.contributes.configuration.properties;
    assert.equal(properties['agentfix.serverCommand']?.scope, 'window');
    for (const [key, property] of Object.entries(properties)) {
      assert.ok(!['machine', 'machine-overridable', 'application'].includes(property.scope ?? ''), key);
    }
  });

  it('has no setting the Settings UI cannot edit (a ["string", "null"] type is "Edit in settings.json")', () => {
    for (const [key, property] of Object.entries(manifest.contributes.configuration.properties)) {
      assert.equal(Array.isArray(property.type), false, key);
    }
    for (const key of ['baseUrl', 'testCommand', 'fallbackModel', 'python']) {
      const property = manifest.contributes.configuration.properties[`${SECTION}.${key}`];
      assert.deepEqual([property?.type, property?.default], ['string', ''], key);
    }
  });

  it('runs only in trusted workspaces (it runs the project tests and a configurable command)', () => {
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, false);
    assert.equal(manifest.capabilities.virtualWorkspaces, false);
  });

  it('pins @types/vscode to the lowest VS Code it claims (vsce requires it)', () => {
    const engine = manifest.engines.vscode.replace(/^\^/, '');
    assert.equal(manifest.devDependencies['@types/vscode'], engine);
  });

  it('pins every dependency exactly', () => {
    for (const [name, version] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
      assert.match(version, /^\d+\.\d+\.\d+$/, name);
    }
  });

  it('has the build scripts, and ci runs them in order', () => {
    for (const script of ['check', 'build', 'test', 'package', 'ci']) {
      assert.ok(manifest.scripts[script], script);
    }
    assert.equal(manifest.scripts['ci'], 'npm run check && npm run build && npm run test && npm run package');
  });
});
