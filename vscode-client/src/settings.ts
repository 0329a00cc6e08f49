/**
 * VS Code settings → the server's settings (initializationOptions and
 * workspace/didChangeConfiguration). Pure: no `vscode` import.
 *
 * Only settings the user set explicitly (user, workspace or folder level) are sent, never
 * VS Code's defaults: the server layers editor settings over the project's
 * `[tool.agentfix]` table, and sending the defaults would silently override that table.
 * Null values mean "unset" and are dropped; so are the extension-only settings, which the
 * server would reject as unknown.
 */

export const SECTION = 'agentfix';

/** Settings of the extension itself (relative to the section), never sent to the server. */
export const EXTENSION_ONLY_SETTINGS: readonly string[] = ['serverCommand', 'trace.server'];

export type ServerSettings = Readonly<Record<string, unknown>>;

/** What `WorkspaceConfiguration.inspect(key)` returns, as much of it as we read. */
export interface InspectedValue {
  readonly defaultValue?: unknown;
  readonly globalValue?: unknown;
  readonly workspaceValue?: unknown;
  readonly workspaceFolderValue?: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The keys (relative to `agentfix.`) of the server's settings, from package.json. */
export function serverSettingKeys(packageJson: unknown): string[] {
  const contributes = isRecord(packageJson) ? packageJson['contributes'] : undefined;
  const configuration = isRecord(contributes) ? contributes['configuration'] : undefined;
  const blocks: unknown[] = Array.isArray(configuration) ? configuration : [configuration];
  const keys: string[] = [];
  for (const block of blocks) {
    const properties = isRecord(block) ? block['properties'] : undefined;
    if (!isRecord(properties)) {
      continue;
    }
    for (const key of Object.keys(properties)) {
      const name = key.startsWith(`${SECTION}.`) ? key.slice(SECTION.length + 1) : undefined;
      if (name !== undefined && !EXTENSION_ONLY_SETTINGS.includes(name)) {
        keys.push(name);
      }
    }
  }
  if (keys.length === 0) {
    throw new Error('package.json contributes no agentfix.* settings');
  }
  return keys;
}

/** The most specific value the user set (folder, then workspace, then user); else undefined. */
export function explicitValue(inspected: InspectedValue | undefined): unknown {
  if (inspected === undefined) {
    return undefined;
  }
  if (inspected.workspaceFolderValue !== undefined) {
    return inspected.workspaceFolderValue;
  }
  if (inspected.workspaceValue !== undefined) {
    return inspected.workspaceValue;
  }
  return inspected.globalValue;
}

/** The value VS Code uses: the explicit one, else the default. */
export function effectiveValue(inspected: InspectedValue | undefined): unknown {
  const value = explicitValue(inspected);
  return value === undefined ? inspected?.defaultValue : value;
}

/** The settings to send: explicitly set, non-null, server-side keys only (camelCase). */
export function toServerSettings(
  keys: readonly string[],
  inspect: (key: string) => InspectedValue | undefined,
): ServerSettings {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (EXTENSION_ONLY_SETTINGS.includes(key)) {
      continue;
    }
    const value = explicitValue(inspect(key));
    if (value !== undefined && value !== null) {
      out[key] = value;
    }
  }
  return out;
}

/** The `settings` of workspace/didChangeConfiguration; the server accepts this shape. */
export function didChangeConfigurationSettings(settings: ServerSettings): { agentfix: ServerSettings } {
  return { agentfix: settings };
}

/** A key-order-independent fingerprint, to skip sending settings that did not change. */
export function settingsFingerprint(settings: ServerSettings): string {
  return JSON.stringify(Object.keys(settings).sort().map((k) => [k, settings[k]]));
}
