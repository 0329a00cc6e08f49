/**
 * The commands on the active file: fix it, cancel its fix, show its last run. Each sends
 * one of the server's commands (workspace/executeCommand) and words the answer; what the
 * server shows itself (a fix's progress and result, a busy or failed start) is not
 * repeated here.
 */

import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';

import {
  SERVER_COMMANDS,
  cancelArguments,
  cancelMessage,
  describeFixAnswer,
  describeShownRun,
  fixFileArguments,
  fixProblem,
  parseFixAnswer,
  showLastRunArguments,
} from './commands';
import { type ActivityTracker } from './status';

/** What the commands need of the extension. */
export interface CommandHost {
  readonly log: vscode.LogOutputChannel;
  /** The status bar's spinner. */
  readonly tracker: ActivityTracker;
  /** The running client, or undefined after telling the user why not. */
  runningClient(): LanguageClient | undefined;
}

interface ActiveTarget {
  readonly document: vscode.TextDocument;
  readonly client: LanguageClient;
  /** The document's URI as the server knows it. */
  readonly uri: string;
  /** The document's path relative to the workspace, for messages. */
  readonly name: string;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class FileCommands {
  constructor(private readonly host: CommandHost) {}

  /** The active Python file and the running client, or undefined (the user was told why). */
  private activeTarget(): ActiveTarget | undefined {
    const document = vscode.window.activeTextEditor?.document;
    const problem = fixProblem(document);
    if (problem !== undefined || document === undefined) {
      void vscode.window.showWarningMessage(problem ?? 'agentfix: open a Python file first.');
      return undefined;
    }
    const client = this.host.runningClient();
    if (client === undefined) {
      return undefined;
    }
    const uri = client.code2ProtocolConverter.asUri(document.uri);
    return { document, client, uri, name: vscode.workspace.asRelativePath(document.uri) };
  }

  /**
   * `agentfix.fix` on the active file. The server answers at once (started, or why not: it
   * shows that itself); the spinner then follows its work-done progress, and the server
   * applies the fix and shows the result. Nothing here repeats the server's messages.
   */
  async fixFile(): Promise<unknown> {
    const target = this.activeTarget();
    if (target === undefined) {
      return undefined;
    }
    const { client, document, uri, name } = target;
    const key = `command:${uri}`;
    this.host.tracker.start(key);
    try {
      const result: unknown = await client.sendRequest(ExecuteCommandRequest.type, {
        command: SERVER_COMMANDS.fix,
        arguments: fixFileArguments(uri, document.version),
      });
      const line = describeFixAnswer(name, result);
      if (parseFixAnswer(result).kind === 'unexpected') {
        this.host.log.error(line);
        void vscode.window.showErrorMessage(`agentfix: the server's answer to the fix of ${name} was not understood (see the log).`);
      } else {
        this.host.log.info(line);
      }
      return result;
    } catch (error: unknown) {
      const message = `agentfix: the fix of ${name} failed: ${errorMessage(error)}`;
      this.host.log.error(message);
      void vscode.window.showErrorMessage(message);
      return undefined;
    } finally {
      this.host.tracker.end(key);
    }
  }

  async cancelFix(): Promise<void> {
    const client = this.host.runningClient();
    if (client === undefined) {
      return;
    }
    const document = vscode.window.activeTextEditor?.document;
    const target = document !== undefined && document.languageId === 'python' ? document : undefined;
    const uri = target === undefined ? undefined : client.code2ProtocolConverter.asUri(target.uri);
    try {
      const result: unknown = await client.sendRequest(ExecuteCommandRequest.type, {
        command: SERVER_COMMANDS.cancel,
        arguments: cancelArguments(uri),
      });
      const name = target === undefined ? undefined : vscode.workspace.asRelativePath(target.uri);
      void vscode.window.showInformationMessage(cancelMessage(result, name));
    } catch (error: unknown) {
      void vscode.window.showErrorMessage(`agentfix: cancelling failed: ${errorMessage(error)}`);
    }
  }

  async showLastRun(): Promise<unknown> {
    const target = this.activeTarget();
    if (target === undefined) {
      return undefined;
    }
    const { client, uri, name } = target;
    try {
      // the server renders the run and opens it (window/showDocument), or says where it is
      const result: unknown = await client.sendRequest(ExecuteCommandRequest.type, {
        command: SERVER_COMMANDS.showLastRun,
        arguments: showLastRunArguments(uri),
      });
      this.host.log.info(describeShownRun(name, result));
      return result;
    } catch (error: unknown) {
      const message = `agentfix: showing the last run of ${name} failed: ${errorMessage(error)}`;
      this.host.log.error(message);
      void vscode.window.showErrorMessage(message);
      return undefined;
    }
  }
}
