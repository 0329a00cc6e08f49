/**
 * VS Code settings → the server's settings (initializationOptions,
 * workspace/didChangeConfiguration and the answer to workspace/configuration). Pure: no
 * `vscode` import.
 *
 * Only settings the user set explicitly (user, remote, workspace or folder level) are sent,
 * never VS Code's defaults: the server layers editor settings over the project's
 * `[tool.agentfix]` table, and sending the defaults would silently override that table.
 * Null means "unset", and so does an empty string where the setting's default is the empty
 * string (the optional text settings: `baseUrl`, `testCommand`, `fallbackModel`,
 * `python`; the Settings UI can only clear a text box, never make it null). The
 * extension-only settings are never sent: the server would reject them as unknown.
 *
 * The server merges what it receives into what it has, so a change names every server key,
 * with null for the unset ones: a setting the user removed returns to its default there.
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

/** The value to send: the explicit one, or undefined when it means "not set". */
export function sentValue(inspected: InspectedValue | undefined): unknown {
  const value = explicitValue(inspected);
  if (value === null || (value === '' && inspected?.defaultValue === '')) {
    return undefined;
  }
  return value;
}

/** The value VS Code uses: the explicit one, else the default. */
export function effectiveValue(inspected: InspectedValue | undefined): unknown {
  const value = explicitValue(inspected);
  return value === undefined ? inspected?.defaultValue : value;
}

/**
 * The settings the user set, server-side keys only (camelCase): initializationOptions, and
 * the `agentfix` section answered to workspace/configuration.
 */
export function toServerSettings(
  keys: readonly string[],
  inspect: (key: string) => InspectedValue | undefined,
): ServerSettings {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (EXTENSION_ONLY_SETTINGS.includes(key)) {
      continue;
    }
    const value = sentValue(inspect(key));
    if (value !== undefined) {
      out[key] = value;
    }
  }
  return out;
}

/**
 * The `settings` of workspace/didChangeConfiguration: every server key, null where it is
 * not set (the server merges a change into what it has; null returns a key to its default).
 */
export function didChangeConfigurationSettings(
  keys: readonly string[],
  settings: ServerSettings,
): { agentfix: ServerSettings } {
  const all: Record<string, unknown> = {};
  for (const key of keys) {
    if (!EXTENSION_ONLY_SETTINGS.includes(key)) {
      all[key] = null;
    }
  }
  return { agentfix: { ...all, ...settings } };
}

/** One item of a workspace/configuration request, as much of it as we read. */
export interface ConfigurationItemLike {
  readonly section?: string | null | undefined;
  readonly scopeUri?: string | null | undefined;
}

/**
 * The answer to workspace/configuration: the `agentfix` section is what the user set for
 * the item's scope (`ours`), never VS Code's whole section (its defaults would override the
 * project's `[tool.agentfix]`; its extension-only keys are no server settings). Other sections
 * keep VS Code's answer (`answered`, one entry per item).
 */
export function configurationAnswer(
  items: readonly ConfigurationItemLike[],
  answered: readonly unknown[],
  ours: (scopeUri: string | undefined) => ServerSettings,
): unknown[] {
  return items.map((item, index) =>
    item.section === SECTION ? ours(item.scopeUri ?? undefined) : answered[index] ?? null,
  );
}

/** The Settings editor's search for one of our settings: `@id:` finds exactly it. */
export function settingsEditorQuery(key: string): string {
  return `@id:${SECTION}.${key}`;
}

/** A key-order-independent fingerprint, to skip sending settings that did not change. */
export function settingsFingerprint(settings: ServerSettings): string {
  return JSON.stringify(Object.keys(settings).sort().map((k) => [k, settings[k]]));
}
