/**
 * The agentfix VS Code extension: starts the agentfix language server (which offers the
 * "Fix with local agent" code actions), passes it the `agentfix.*` settings, and adds a few
 * commands and a status-bar item. Decisions live in the pure modules next to this file;
 * this one only wires them to VS Code.
 */

import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
  type ServerOptions,
  State,
} from 'vscode-languageclient/node';

import { COMMANDS } from './commands';
import { FileCommands } from './fileCommands';
import { checkAgentfixImport, importCheckMessage, shouldStart, startFailureMessage } from './pythonCheck';
import {
  type DisposableLike,
  PYTHON_EXTENSION_ID,
  type ServerCommand,
  describeCommand,
  environmentsApi,
  interpreterFromPythonExtension,
  parseServerCommandSetting,
  resolveServerCommand,
} from './serverCommand';
import {
  SECTION,
  type ServerSettings,
  configurationAnswer,
  didChangeConfigurationSettings,
  effectiveValue,
  serverSettingKeys,
  settingsEditorQuery,
  settingsFingerprint,
  toServerSettings,
} from './settings';
import { ActivityTracker, type ServerState, statusView } from './status';

const SELECT_INTERPRETER = 'Select Interpreter';
const OPEN_SETTINGS = 'Open Settings';
const SHOW_LOG = 'Show Log';
const RETRY = 'Retry';

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

class AgentfixExtension implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private command: ServerCommand | undefined;
  private state: ServerState = 'stopped';
  private sent: string | undefined;
  private queue: Promise<void> = Promise.resolve();
  private watchingInterpreter: DisposableLike | undefined;
  readonly tracker = new ActivityTracker(() => {
    this.refreshStatus();
  });
  private readonly settingKeys: readonly string[];

  constructor(
    context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
    private readonly status: vscode.StatusBarItem,
  ) {
    this.settingKeys = serverSettingKeys(context.extension.packageJSON);
  }

  // ---- lifecycle (serialized: a restart never overlaps a start) ------------------------

  start(): Promise<void> {
    return this.enqueue(() => this.doStart());
  }

  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.doStop();
      await this.doStart();
    });
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.doStop());
  }

  dispose(): void {
    this.watchingInterpreter?.dispose();
    void this.stop();
  }

  private enqueue(operation: () => Promise<void>): Promise<void> {
    const next = this.queue.then(operation, operation);
    this.queue = next.catch((error: unknown) => {
      this.log.error(`agentfix: ${errorMessage(error)}`);
    });
    return this.queue;
  }

  private setState(state: ServerState): void {
    this.state = state;
    if (state === 'stopped' || state === 'failed') {
      this.tracker.clear();
    }
    this.refreshStatus();
  }

  private async resolveCommand(): Promise<ServerCommand | undefined> {
    const config = vscode.workspace.getConfiguration(SECTION);
    const setting = parseServerCommandSetting(config.get<unknown>('serverCommand'));
    if (!setting.ok) {
      this.notify(setting.problem, false);
      return undefined;
    }
    if (setting.value.length > 0) {
      return resolveServerCommand(setting.value, undefined);
    }
    const extension = vscode.extensions.getExtension(PYTHON_EXTENSION_ID);
    const lookup = await interpreterFromPythonExtension(extension, this.resource());
    this.log.info(`interpreter: ${lookup.note}`);
    this.watchInterpreter(extension);
    return resolveServerCommand([], lookup.python);
  }

  private async doStart(): Promise<void> {
    this.setState('starting');
    const command = await this.resolveCommand();
    if (command === undefined) {
      this.setState('failed');
      return;
    }
    this.command = command;
    this.log.info(`starting the server (${command.source}): ${describeCommand(command)}`);
    if (command.python !== undefined) {
      const check = await checkAgentfixImport(command.python);
      const message = importCheckMessage(command.python, check);
      if (message !== undefined || !shouldStart(check)) {
        this.log.error(message ?? `import check failed: ${JSON.stringify(check)}`);
        this.setState('failed');
        this.notify(message ?? `agentfix cannot start with ${command.python}.`, true);
        return;
      }
      if (check.kind === 'timeout') {
        this.log.warn(`\`${command.python} -c "import agentfix"\`: ${check.detail}; starting anyway`);
      }
    }
    const client = this.createClient(command);
    this.client = client;
    try {
      await client.start();
      this.sent = settingsFingerprint(this.serverSettings());
    } catch (error: unknown) {
      const message = startFailureMessage(command, error);
      this.log.error(message);
      this.client = undefined;
      this.setState('failed');
      this.notify(message, command.python !== undefined);
      try {
        await client.dispose(2000);
      } catch {
        // it never started: nothing to stop
      }
    }
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.sent = undefined;
    if (client !== undefined) {
      try {
        await client.dispose(5000);
      } catch (error: unknown) {
        this.log.warn(`stopping the server: ${errorMessage(error)}`);
      }
    }
    this.setState('stopped');
  }

  private createClient(command: ServerCommand): LanguageClient {
    const cwd = this.resource()?.fsPath;
    const serverOptions: ServerOptions = {
      command: command.command,
      args: [...command.args],
      // No `transport`: TransportKind.stdio would append `--stdio`, which `agentfix serve`
      // rejects. Without it the client still talks LSP over the process's stdin/stdout.
      options: cwd === undefined ? {} : { cwd },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ scheme: 'file', language: 'python' }],
      outputChannel: this.log,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      // the extension runs only in trusted workspaces (package.json: untrustedWorkspaces):
      // the project's own [tool.agentfix] may then choose its test command and sandbox
      initializationOptions: () => ({
        ...this.serverSettings(),
        workspaceTrusted: vscode.workspace.isTrusted,
      }),
      middleware: {
        // the server's work-done progress of a fix (begin … end, cancellable): the spinner
        handleWorkDoneProgress: (token, params, next) => {
          this.tracker.progress(token, params.kind);
          next(token, params);
        },
        workspace: {
          // the server pulls section `agentfix` per document at each fix: answer what the
          // user set there, not VS Code's whole section with its defaults
          configuration: async (params, token, next) => {
            const others = params.items.some((item) => item.section !== SECTION);
            const answered = others ? await next(params, token) : [];
            if (!Array.isArray(answered)) {
              return answered; // an error VS Code answered
            }
            return configurationAnswer(params.items, answered, (scopeUri) => this.serverSettings(scopeUri));
          },
        },
      },
    };
    const client = new LanguageClient('agentfix', 'agentfix', serverOptions, clientOptions);
    client.onDidChangeState((event) => {
      if (this.client !== client) {
        return;
      }
      switch (event.newState) {
        case State.Running:
          this.setState('running');
          break;
        case State.Starting:
          this.setState('starting');
          break;
        case State.StartFailed:
          this.setState('failed');
          break;
        case State.Stopped:
          this.setState('stopped');
          break;
      }
    });
    return client;
  }

  /** Follow the interpreter selected in the Python extension (when it picks the server). */
  private watchInterpreter(extension: vscode.Extension<unknown> | undefined): void {
    if (this.watchingInterpreter !== undefined || extension === undefined || !extension.isActive) {
      return;
    }
    const onChange = environmentsApi(extension.exports)?.onDidChangeActiveEnvironmentPath;
    if (onChange === undefined) {
      return;
    }
    this.watchingInterpreter = onChange(() => {
      if (this.command?.source !== 'setting') {
        this.log.info('the selected Python interpreter changed: restarting the server');
        void this.restart();
      }
    });
  }

  private resource(): vscode.Uri | undefined {
    const active = vscode.window.activeTextEditor?.document.uri;
    const folder = active === undefined ? undefined : vscode.workspace.getWorkspaceFolder(active);
    return (folder ?? vscode.workspace.workspaceFolders?.[0])?.uri;
  }

  // ---- settings ---------------------------------------------------------------------

  /** What the user set, for the window or (`scopeUri`) for one document's folder. */
  private serverSettings(scopeUri?: string): ServerSettings {
    const scope = scopeUri === undefined ? undefined : vscode.Uri.parse(scopeUri);
    const config = vscode.workspace.getConfiguration(SECTION, scope);
    return toServerSettings(this.settingKeys, (key) => config.inspect(key));
  }

  onConfigurationChanged(event: vscode.ConfigurationChangeEvent): void {
    if (!event.affectsConfiguration(SECTION)) {
      return;
    }
    this.refreshStatus();
    if (event.affectsConfiguration(`${SECTION}.serverCommand`)) {
      this.log.info('agentfix.serverCommand changed: restarting the server');
      void this.restart();
      return;
    }
    const client = this.client;
    if (client === undefined || !client.isRunning()) {
      return; // the next start sends them as initializationOptions
    }
    const settings = this.serverSettings();
    const fingerprint = settingsFingerprint(settings);
    if (fingerprint === this.sent) {
      return;
    }
    this.sent = fingerprint;
    client
      .sendNotification(DidChangeConfigurationNotification.type, {
        settings: didChangeConfigurationSettings(this.settingKeys, settings),
      })
      .catch((error: unknown) => {
        this.log.error(`sending settings: ${errorMessage(error)}`);
      });
  }

  // ---- status bar -------------------------------------------------------------------

  refreshStatus(): void {
    const config = vscode.workspace.getConfiguration(SECTION);
    const view = statusView({
      provider: effectiveValue(config.inspect('provider')),
      model: effectiveValue(config.inspect('model')),
      running: this.tracker.running,
      state: this.state,
    });
    this.status.text = view.text;
    this.status.tooltip = view.tooltip;
  }

  // ---- commands ---------------------------------------------------------------------

  /** The running client, or undefined after telling the user why not. */
  runningClient(): LanguageClient | undefined {
    const client = this.client;
    if (client !== undefined && client.isRunning()) {
      return client;
    }
    const state = this.state === 'starting' ? 'is still starting' : 'is not running';
    void vscode.window.showErrorMessage(`agentfix: the language server ${state}.`, SHOW_LOG, RETRY).then((choice) => {
      if (choice === SHOW_LOG) {
        this.log.show();
      } else if (choice === RETRY) {
        void this.restart();
      }
    });
    return undefined;
  }

  showLog(): void {
    this.log.show();
  }

  // ---- notifications ----------------------------------------------------------------

  private notify(message: string, offerInterpreter: boolean): void {
    const actions: string[] = [];
    if (offerInterpreter && vscode.extensions.getExtension(PYTHON_EXTENSION_ID) !== undefined) {
      actions.push(SELECT_INTERPRETER);
    }
    actions.push(OPEN_SETTINGS, RETRY);
    void vscode.window.showErrorMessage(message, ...actions).then((choice) => {
      if (choice === SELECT_INTERPRETER) {
        void vscode.commands.executeCommand('python.setInterpreter');
      } else if (choice === OPEN_SETTINGS) {
        void vscode.commands.executeCommand('workbench.action.openSettings', settingsEditorQuery('serverCommand'));
      } else if (choice === RETRY) {
        void this.restart();
      }
    });
  }
}

let extension: AgentfixExtension | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('agentfix', { log: true });
  const status = vscode.window.createStatusBarItem('agentfix.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'agentfix';
  status.command = COMMANDS.showLog;
  const ext = new AgentfixExtension(context, log, status);
  extension = ext;
  const fileCommands = new FileCommands(ext);
  context.subscriptions.push(
    log,
    status,
    ext,
    vscode.workspace.onDidChangeConfiguration((event) => {
      ext.onConfigurationChanged(event);
    }),
    vscode.commands.registerCommand(COMMANDS.fixFile, () => fileCommands.fixFile()),
    vscode.commands.registerCommand(COMMANDS.cancelFix, () => fileCommands.cancelFix()),
    vscode.commands.registerCommand(COMMANDS.showLog, () => {
      ext.showLog();
    }),
    vscode.commands.registerCommand(COMMANDS.restart, () => ext.restart()),
    vscode.commands.registerCommand(COMMANDS.showLastRun, () => fileCommands.showLastRun()),
  );
  ext.refreshStatus();
  status.show();
  await ext.start();
}

export async function deactivate(): Promise<void> {
  const ext = extension;
  extension = undefined;
  await ext?.stop();
}
