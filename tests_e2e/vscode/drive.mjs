// Drives VS Code (code-server) in headless Debian Chromium with playwright-core, as a user
// would: the keyboard, the command palette, the Source Action and Quick Fix menus, and what
// the window shows (the editor's text, notifications, the status bar).
//
//   node drive.mjs URL
//
// Reads one JSON command a line on stdin ({"id", "op", ...args}) and answers each with one
// JSON line on stdout ({"id", "ok": true, ...result} or {"id", "ok": false, "error"}).
// test_vscode.py composes the scenarios from these steps; times are Date.now() in ms.

import { createInterface } from 'node:readline';

import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const STEP_TIMEOUT = 30_000; // ms for one UI step (a menu opening, a row showing)

const [url] = process.argv.slice(2);
if (!url) {
  process.stderr.write('usage: node drive.mjs URL\n');
  process.exit(2);
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
const page = await context.newPage();
const consoleErrors = [];
page.on('console', (message) => {
  if (message.type() === 'error' && consoleErrors.length < 200) {
    consoleErrors.push(message.text().slice(0, 500));
  }
});

// A history of what the window showed, kept by the page itself every 50 ms: every
// notification toast that appeared (a short-lived one too) and every status bar text.
await context.addInitScript(() => {
  const log = [];
  let toasts = new Set();
  let status = '';
  window.__agentfixSeen = log;
  setInterval(() => {
    const now = Date.now();
    const current = new Set(
      [...document.querySelectorAll('.notification-toast .notification-list-item-message')].map((e) =>
        e.textContent.trim(),
      ),
    );
    for (const text of current) {
      if (!toasts.has(text)) {
        log.push({ t: now, kind: 'toast', text });
      }
    }
    toasts = current;
    const items = [...document.querySelectorAll('.statusbar-item')]
      .map((e) => e.innerText.trim())
      .filter((text) => text !== '');
    const joined = items.join(' | ');
    if (joined !== status) {
      status = joined;
      log.push({ t: now, kind: 'status', text: joined });
    }
  }, 50);
});

// ---- reading the window ----------------------------------------------------------------

const editorSelector = '.part.editor .editor-group-container.active .monaco-editor';

/** The active editor's text as drawn: its view lines in order of their position. */
async function editorText() {
  return page.locator(`${editorSelector} .view-lines`).first().evaluate((lines) => {
    const rows = [...lines.querySelectorAll(':scope > .view-line')].map((e) => ({
      top: parseFloat(e.style.top || '0'),
      text: e.textContent.replace(/\u00a0/g, ' '),
    }));
    rows.sort((a, b) => a.top - b.top);
    return rows.map((r) => r.text).join('\n');
  });
}

async function activeTab() {
  const tab = page.locator('.part.editor .editor-group-container.active .tab.active').first();
  if ((await tab.count()) === 0) {
    return { title: null, dirty: false };
  }
  const classes = (await tab.getAttribute('class')) ?? '';
  return { title: (await tab.innerText()).trim(), dirty: classes.split(/\s+/).includes('dirty') };
}

async function statusBar() {
  return page.locator('.statusbar-item').evaluateAll((items) =>
    items
      .map((e) => ({
        id: e.id,
        text: e.innerText.trim(),
        label: e.getAttribute('aria-label') ?? '',
        spinning: e.querySelector('.codicon-modifier-spin') !== null,
      }))
      .filter((item) => item.text !== '' || item.spinning),
  );
}

async function agentfixItem() {
  const items = await statusBar();
  return items.find((item) => item.text.startsWith('agentfix:') || item.id.endsWith('agentfix.status'));
}

/** What the user sees now. */
async function snapshot() {
  const items = await statusBar();
  const toasts = await page.locator('.notification-toast .notification-list-item-message').allInnerTexts();
  let text = null;
  try {
    text = await editorText();
  } catch {
    text = null;
  }
  return {
    t: Date.now(),
    text,
    tab: await activeTab(),
    toasts: toasts.map((s) => s.trim()),
    status: items,
    agentfix: items.find((item) => item.text.startsWith('agentfix:')) ?? null,
    progress: items.filter((item) => /Fixing .* with local agent/.test(item.text)).map((item) => item.text),
  };
}

async function seen(since = 0) {
  const log = await page.evaluate(() => window.__agentfixSeen ?? []);
  return log.filter((entry) => entry.t >= since);
}

/** Poll `check` (async, truthy when done) until it is or `timeout` ms passed. */
async function until(check, timeout, what) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    last = await check();
    if (last) {
      return last;
    }
    if (Date.now() > end) {
      throw new Error(`timed out after ${timeout / 1000} s waiting for ${what}`);
    }
    await page.waitForTimeout(50);
  }
}

// ---- acting ------------------------------------------------------------------------------

const quickInput = page.locator('.quick-input-widget');
const quickInputBox = quickInput.locator('input.input, .quick-input-box input').first();

async function focusEditor() {
  await page.locator(`${editorSelector} .view-lines`).first().waitFor({ timeout: STEP_TIMEOUT });
  // the editor's own command (View: Focus Active Editor Group) keeps the cursor where it is
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+1');
}

/** Pick the quick-pick row labelled exactly `label`, or whose label starts with it. */
async function pickRow(label) {
  const rows = quickInput.locator('.monaco-list-row');
  const row = await until(
    async () => {
      const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      const index = labels.findIndex((l) => l === label || l.startsWith(`${label},`));
      return index >= 0 ? { index, labels } : null;
    },
    STEP_TIMEOUT,
    `the row "${label}" in the quick pick`,
  );
  const t = Date.now();
  await rows.nth(row.index).click();
  return { t, rows: row.labels };
}

/** Run a command from the command palette by its label, e.g. "agentfix: Cancel running fix". */
async function palette(label) {
  await focusEditor();
  await page.keyboard.press('F1');
  await quickInputBox.waitFor({ timeout: STEP_TIMEOUT });
  await quickInputBox.fill(`>${label}`);
  return pickRow(label);
}

/** Put the cursor at line:column (1-based) with Go to Line (Quick Open's ":line:column"). */
async function goTo(line, column) {
  await focusEditor();
  await page.keyboard.press('Control+p');
  await quickInputBox.waitFor({ timeout: STEP_TIMEOUT });
  await quickInputBox.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await until(
    async () => {
      const text = await page.locator('#status\\.editor\\.selection').innerText().catch(() => '');
      return text.includes(`Ln ${line}, Col ${column}`);
    },
    STEP_TIMEOUT,
    `the cursor at ${line}:${column}`,
  );
}

const actionWidget = page.locator('.action-widget');

/** The rows of the open code action menu (Source Action..., Quick Fix...). */
async function menuRows() {
  return actionWidget
    .locator('.monaco-list-row')
    .evaluateAll((els) =>
      els.map((e) => ({ label: e.getAttribute('aria-label') ?? e.innerText.trim(), disabled: e.classList.contains('option-disabled') })),
    );
}

/** Wait for a code action menu to list `label`; click it. Answers the rows and the click's time. */
async function clickMenuItem(label) {
  const rows = await until(
    async () => {
      const found = await menuRows().catch(() => []);
      return found.some((r) => r.label.includes(label)) ? found : null;
    },
    STEP_TIMEOUT,
    `"${label}" in the code action menu (${JSON.stringify(await menuRows().catch(() => []))})`,
  );
  const row = actionWidget.locator('.monaco-list-row', { hasText: label }).first();
  const t = Date.now();
  await row.click();
  return { t, rows: rows.map((r) => r.label) };
}

/** Source Action... (from the command palette, as the editor's context menu opens it). */
async function sourceAction(label) {
  await palette('Source Action...');
  return clickMenuItem(label);
}

/** Ctrl+. at line:column, then the item `label`. */
async function quickFix(line, column, label) {
  await goTo(line, column);
  await page.keyboard.press('Control+.');
  return clickMenuItem(label);
}

async function openWorkspace({ folder, file, model, timeout }) {
  const t0 = Date.now();
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout });
  // the workspace trust prompt ("Do you trust the authors of the files in this folder?")
  await page.getByRole('button', { name: /Yes, I trust the authors/ }).click({ timeout });
  const trusted = Date.now();
  await page.keyboard.press('Control+p');
  await quickInputBox.waitFor({ timeout: STEP_TIMEOUT });
  await quickInputBox.fill(file);
  await pickRow(file);
  await page.locator(`${editorSelector} .view-lines`).first().waitFor({ timeout: STEP_TIMEOUT });
  const item = await until(
    async () => {
      const found = await agentfixItem();
      return found && found.text === `agentfix: ollama · ${model}` && /language server: running/.test(found.label)
        ? found
        : null;
    },
    timeout,
    `the status bar item "agentfix: ollama · ${model}" with the server running`,
  );
  return { seconds: (Date.now() - t0) / 1000, trusted_after: (trusted - t0) / 1000, status: item };
}

// ---- commands from the test --------------------------------------------------------------

const ops = {
  open: openWorkspace,
  snapshot: () => snapshot(),
  seen: ({ since }) => seen(since).then((log) => ({ log })),
  palette: ({ label }) => palette(label),
  sourceAction: ({ label }) => sourceAction(label),
  quickFix: ({ line, column, label }) => quickFix(line, column, label),
  goTo: ({ line, column }) => goTo(line, column).then(() => ({})),
  type: async ({ line, column, text }) => {
    await goTo(line, column);
    const t = Date.now();
    await page.keyboard.type(text, { delay: 20 });
    return { t, done: Date.now() };
  },
  save: async () => {
    await focusEditor();
    const t = Date.now();
    await page.keyboard.press('Control+s');
    return { t };
  },
  /** Wait for the editor to show `text`; answers when (and the state then). */
  waitText: async ({ text, timeout }) => {
    const t = await until(
      async () => ((await editorText().catch(() => null)) === text ? Date.now() : null),
      timeout,
      `the editor to show ${JSON.stringify(text)} (it shows ${JSON.stringify(await editorText().catch(() => null))})`,
    );
    return { t, state: await snapshot() };
  },
  waitClean: async ({ timeout }) => {
    const t = await until(async () => (!(await activeTab()).dirty ? Date.now() : null), timeout, 'the tab to be saved');
    return { t };
  },
  /** Wait until no fix runs: no "Fixing ..." progress, no spinner on the agentfix item. */
  waitIdle: async ({ timeout }) => {
    const t = await until(
      async () => {
        const state = await snapshot();
        return state.progress.length === 0 && state.agentfix && !state.agentfix.spinning ? Date.now() : null;
      },
      timeout,
      'no fix to be running (progress and spinner gone)',
    );
    return { t, state: await snapshot() };
  },
  /** Wait until a fix runs (the progress shows in the status bar). */
  waitBusy: async ({ timeout }) => {
    const t = await until(
      async () => {
        const state = await snapshot();
        return state.progress.length > 0 || state.agentfix?.spinning ? Date.now() : null;
      },
      timeout,
      'a fix to be running (progress or spinner)',
    );
    return { t, state: await snapshot() };
  },
  /** Wait for a notification whose text matches `pattern` (a regex source) since `since`. */
  waitToast: async ({ pattern, since, timeout }) => {
    const re = new RegExp(pattern);
    const hit = await until(
      async () => (await seen(since)).find((entry) => entry.kind === 'toast' && re.test(entry.text)),
      timeout,
      `a notification matching /${pattern}/`,
    );
    return hit;
  },
  /** Wait for the model in the status bar (a settings change reached the extension). */
  waitModel: async ({ model, timeout }) => {
    const item = await until(
      async () => {
        const found = await agentfixItem();
        return found && found.text.endsWith(`· ${model}`) ? found : null;
      },
      timeout,
      `the status bar item to show the model ${model}`,
    );
    return { item };
  },
  revert: async () => {
    await palette('File: Revert File');
    return {};
  },
  clearNotifications: async () => {
    await palette('Notifications: Clear All Notifications');
    return {};
  },
  screenshot: async ({ path }) => {
    await page.screenshot({ path });
    return { path };
  },
  consoleErrors: async () => ({ errors: consoleErrors }),
};

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line.trim() === '') {
    continue;
  }
  let id = null;
  let reply;
  try {
    const { id: given, op, ...args } = JSON.parse(line);
    id = given ?? null;
    if (op === 'quit') {
      break;
    }
    const run = ops[op];
    if (run === undefined) {
      throw new Error(`unknown op ${op}`);
    }
    reply = { id, ok: true, ...(await run(args)) };
  } catch (error) {
    reply = { id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  process.stdout.write(`${JSON.stringify(reply)}\n`);
}
await browser.close();
