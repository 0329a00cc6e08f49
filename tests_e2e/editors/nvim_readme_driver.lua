-- Drives the README's Neovim snippet like a user, for tests_e2e/editors/test_neovim_readme.py.
--
--   nvim --headless --clean -n -u <the README's lua block> -c "luafile nvim_readme_driver.lua"
--
-- Run from the project's root (calc.py, tests/test_calc.py, pyproject.toml). It
--  1. opens two Python buffers, tests/test_calc.py then calc.py (in a split), and waits for
--     the agentfix client to attach to each (the snippet's FileType autocmd);
--  2. "format on save": a BufWritePre autocmd running the source.fixAll code action with
--     apply (0.8+; 0.7: `only`), then :write calc.py, and 3 s of watching: no fix may start.
--     It writes $NVIM_README_PHASE and waits for $NVIM_README_GO (the test checks the fake
--     model got no request meanwhile);
--  3. runs "Fix file with local agent" on calc.py through vim.lsp.buf.code_action (0.8+:
--     filter + apply; 0.7: the user picks it in vim.ui.select), waits for the server's
--     workspace/applyEdit and its result message, writes calc.py, stops the clients.
-- Everything seen is recorded as JSON in $NVIM_README_RESULT. Exit status: 0 when every step
-- ran (the test judges the outcome), 2 on a failed step.

local result_path = assert(vim.env.NVIM_README_RESULT, "NVIM_README_RESULT is not set")
local phase_path = assert(vim.env.NVIM_README_PHASE, "NVIM_README_PHASE is not set")
local go_path = assert(vim.env.NVIM_README_GO, "NVIM_README_GO is not set")
local fix_timeout_ms = tonumber(vim.env.NVIM_README_TIMEOUT_MS or "") or 180000
local FIX_TITLE = "Fix file with local agent"
local QUIET_MS = 3000 -- how long a save is watched for a fix it must not start
local has_08 = vim.fn.has("nvim-0.8") == 1
local uv = vim.uv or vim.loop

local report = {
  nvim = tostring(vim.version().major) .. "." .. vim.version().minor .. "." .. vim.version().patch,
  steps = {},
  events = {}, -- {kind, ms, ...} in arrival order: progress, messages, applyEdit, command result
  notifications = {}, -- vim.notify messages (e.g. "No code actions available")
}
local started_ms = uv.hrtime() / 1e6

local function now()
  return math.floor(uv.hrtime() / 1e6 - started_ms)
end

local function step(name)
  table.insert(report.steps, name)
end

local function save_report()
  vim.fn.writefile({ vim.json.encode(report) }, result_path)
end

local function events(kind, since)
  local found = {}
  for _, e in ipairs(report.events) do
    if e.kind == kind and e.ms >= (since or 0) then
      table.insert(found, e)
    end
  end
  return found
end

-- Record what the server sends, then let Neovim's own handlers do their usual work.
local function spy(method, kind, extract)
  local original = vim.lsp.handlers[method]
  vim.lsp.handlers[method] = function(err, params, ctx, config)
    local event = extract(err, params)
    event.kind, event.ms = kind, now()
    table.insert(report.events, event)
    if original then
      return original(err, params, ctx, config)
    end
  end
end
spy("$/progress", "progress", function(_, params)
  local value = type(params.value) == "table" and params.value or {}
  return { progress = value.kind, title = value.title, message = value.message }
end)
spy("window/workDoneProgress/create", "progress create", function()
  return {}
end)
spy("window/showMessage", "message", function(_, params)
  return { message = params.message, type = params.type }
end)
spy("workspace/applyEdit", "applyEdit", function(_, params)
  return { label = params.label }
end)
spy("workspace/executeCommand", "command result", function(err, result)
  return { error = err and tostring(err.message or err) or nil, result = result }
end)

local notify = vim.notify
vim.notify = function(message, level, opts)
  table.insert(report.notifications, tostring(message))
  return notify(message, level, opts)
end

-- 0.7 has no `apply`: the user picks the action from the list, as the README says.
vim.ui.select = function(items, opts, on_choice)
  for i, item in ipairs(items) do
    local title = opts.format_item and opts.format_item(item) or tostring(item)
    if string.find(title, FIX_TITLE, 1, true) then
      report.picked = title
      return on_choice(item, i)
    end
  end
  report.picked = false
  return on_choice(nil, nil)
end

local function agentfix_client(bufnr)
  local clients = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr })
    or vim.tbl_values(vim.lsp.buf_get_clients(bufnr))
  for _, client in ipairs(clients) do
    if client.name == "agentfix" then
      return client
    end
  end
  return nil
end

local function wait_attached(bufnr, what)
  local client
  local ok = vim.wait(60000, function()
    client = agentfix_client(bufnr)
    return client ~= nil and client.initialized == true
  end, 50)
  report.attached = report.attached or {}
  report.attached[what] = ok and client.id or false
  assert(ok, "the agentfix client did not attach to " .. what .. " within 60 s")
  return client
end

local function run()
  -- 1. Two Python buffers: the test file, then the buggy file.
  vim.cmd("edit tests/test_calc.py")
  local first = vim.api.nvim_get_current_buf()
  wait_attached(first, "tests/test_calc.py")
  step("first buffer attached")

  vim.cmd("split calc.py")
  local second = vim.api.nvim_get_current_buf()
  assert(second ~= first, "calc.py did not open in a buffer of its own")
  local client = wait_attached(second, "calc.py")
  step("second buffer attached")
  report.first_still_attached = agentfix_client(first) ~= nil

  -- 2. A format-on-save code action must not start a model fix.
  local on_save = vim.api.nvim_create_autocmd("BufWritePre", {
    buffer = second,
    callback = function()
      if has_08 then
        vim.lsp.buf.code_action({ context = { only = { "source.fixAll" } }, apply = true })
      else
        vim.lsp.buf.code_action({ only = { "source.fixAll" } })
      end
    end,
  })
  local saved_at = now()
  vim.cmd("write")
  vim.wait(QUIET_MS, function()
    return false
  end, 50)
  vim.api.nvim_del_autocmd(on_save)
  report.after_save = {
    progress = #events("progress", saved_at) + #events("progress create", saved_at),
    applyEdit = #events("applyEdit", saved_at),
    messages = #events("message", saved_at),
    commands = #events("command result", saved_at),
  }
  step("saved with source.fixAll")
  save_report()
  vim.fn.writefile({ "saved" }, phase_path)
  local go = vim.wait(60000, function()
    return vim.fn.filereadable(go_path) == 1
  end, 50)
  assert(go, "the test did not say go within 60 s")

  -- 3. "Fix file with local agent" on the second buffer.
  local before = vim.api.nvim_buf_get_lines(second, 0, -1, false)
  local asked_at = now()
  if has_08 then
    vim.lsp.buf.code_action({
      filter = function(action)
        return action.title == FIX_TITLE
      end,
      apply = true,
    })
  else
    vim.lsp.buf.code_action()
  end
  step("code action run")

  local ended_at
  local finished = vim.wait(fix_timeout_ms, function()
    local applied = #events("applyEdit", asked_at) > 0
    local result_shown = false
    for _, m in ipairs(events("message", asked_at)) do
      local text = m.message or ""
      if string.find(text, "calc.py", 1, true) and string.find(text, "fixed", 1, true) then
        result_shown = true
      end
    end
    if applied and result_shown then
      return true
    end
    for _, p in ipairs(events("progress", asked_at)) do
      if p.progress == "end" then
        ended_at = ended_at or now()
      end
    end
    return ended_at ~= nil and now() - ended_at > 5000 -- ended without a fix: stop waiting
  end, 100)
  report.waited_ms = now() - asked_at
  assert(finished, "no applyEdit and result message within " .. fix_timeout_ms .. " ms")
  step("fix ended")

  local after = vim.api.nvim_buf_get_lines(second, 0, -1, false)
  report.changed = not vim.deep_equal(before, after)
  report.buffer = after
  vim.api.nvim_set_current_buf(second)
  vim.cmd("write")
  step("written")

  vim.lsp.stop_client(client.id)
  vim.wait(15000, function()
    return vim.lsp.get_client_by_id(client.id) == nil
  end, 50)
  step("stopped")
end

local ok, err = xpcall(run, debug.traceback)
if not ok then
  report.error = tostring(err)
end
save_report()
if ok then
  vim.cmd("qall!")
else
  vim.cmd("cquit 2")
end
