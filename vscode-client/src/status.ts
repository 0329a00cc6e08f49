/**
 * The status-bar item's text and the tracking of running fixes. Pure: no `vscode` import.
 */

export type ServerState = 'starting' | 'running' | 'stopped' | 'failed';

export const SPINNER = '$(sync~spin)';
export const WARNING = '$(warning)';

export interface StatusInput {
  readonly provider: unknown;
  readonly model: unknown;
  readonly running: number;
  readonly state: ServerState;
}

export interface StatusView {
  readonly text: string;
  readonly tooltip: string;
}

function shown(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.trim() !== '' ? value : fallback;
}

const STATE_TEXT: Record<ServerState, string> = {
  starting: 'starting',
  running: 'running',
  stopped: 'stopped',
  failed: 'could not start (see the log)',
};

/** `agentfix: ollama · qwen2.5-coder:1.5b`, with a spinner while a fix runs. */
export function statusView(input: StatusInput): StatusView {
  const label = `agentfix: ${shown(input.provider, 'ollama')} · ${shown(input.model, '?')}`;
  let icon = '';
  if (input.running > 0) {
    icon = `${SPINNER} `;
  } else if (input.state === 'failed' || input.state === 'stopped') {
    icon = `${WARNING} `;
  }
  const lines = [`agentfix language server: ${STATE_TEXT[input.state]}`];
  if (input.running > 0) {
    lines.push(input.running === 1 ? 'A fix is running.' : `${input.running} fixes are running.`);
  }
  lines.push(
    'Provider and model as set in VS Code; a project\'s [tool.agentfix] applies where they are not set.',
    'Click to show the log.',
  );
  return { text: `${icon}${label}`, tooltip: lines.join('\n') };
}

/**
 * What is running: work-done progress of the server (begin … end) and fix commands the
 * extension sent. A key counts once however often it starts.
 */
export class ActivityTracker {
  private readonly active = new Set<string>();

  constructor(private readonly onChange: (running: number) => void = () => undefined) {}

  get running(): number {
    return this.active.size;
  }

  start(key: string): void {
    const before = this.active.size;
    this.active.add(key);
    if (this.active.size !== before) {
      this.onChange(this.active.size);
    }
  }

  end(key: string): void {
    if (this.active.delete(key)) {
      this.onChange(this.active.size);
    }
  }

  /** Feed one `$/progress` value of the server's work-done progress. */
  progress(token: string | number, kind: 'begin' | 'report' | 'end'): void {
    const key = `progress:${String(token)}`;
    if (kind === 'begin') {
      this.start(key);
    } else if (kind === 'end') {
      this.end(key);
    }
  }

  /** The server stopped: whatever it was doing will never report its end. */
  clear(): void {
    if (this.active.size > 0) {
      this.active.clear();
      this.onChange(0);
    }
  }
}
