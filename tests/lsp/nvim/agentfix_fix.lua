-- Drives one "Fix file with local agent" in headless Neovim, for tests/lsp/test_neovim.py.
--
-- Run after tests/lsp/nvim/init.lua has attached agentfix to the current (Python) buffer:
--   nvim --headless --clean -n -u tests/lsp/nvim/init.lua calc.py -c "luafile tests/lsp/nvim/agentfix_fix.lua"
-- It lists the code actions of the whole buffer, executes the file action's command
-- (workspace/executeCommand, answered at once: the fix runs in the background), waits for
-- the server's workspace/applyEdit (Neovim's own handler changes the buffer) and its result
-- message, writes the buffer, and records what happened as JSON in $NVIM_AGENTFIX_RESULT.
-- Exit status: 0 when every step ran (the test judges the outcome), 2 on a failed step.

local result_path = assert(vim.env.NVIM_AGENTFIX_RESULT, "NVIM_AGENTFIX_RESULT is not set")
local fix_timeout_ms = tonumber(vim.env.NVIM_AGENTFIX_TIMEOUT_MS or "") or 180000
local FIX_ALL_TITLE = "Fix file with local agent"
local FIX_ALL_KIND = "source.agentfix"

local report = {
  nvim = tostring(vim.version().major) .. "." .. vim.version().minor .. "." .. vim.version().patch,
  progress = {}, -- every $/progress value, in arrival order
  messages = {}, -- every window/showMessage, in arrival order
  edits = {}, -- every workspace/applyEdit, in arrival order
  steps = {},
}

local function step(name)
  table.insert(report.steps, name)
end

local function save_report()
  vim.fn.writefile({ vim.json.encode(report) }, result_path)
end

-- Record progress and messages, then let Neovim's own handlers do their usual work.
local function spy(method, into)
  local original = vim.lsp.handlers[method]
  vim.lsp.handlers[method] = function(err, params, ctx, config)
    table.insert(into, { at = #report.steps, params = params })
    if original then
      return original(err, params, ctx, config)
    end
  end
end
spy("$/progress", report.progress)
spy("window/showMessage", report.messages)
spy("workspace/applyEdit", report.edits)

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

local function run()
  local bufnr = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(bufnr)
  report.uri = uri

  local client
  local ready = vim.wait(60000, function()
    client = agentfix_client(bufnr)
    return client ~= nil and client.initialized == true
  end, 50)
  assert(ready, "the agentfix server did not start and initialize within 60 s")
  step("initialized")

  local line_count = vim.api.nvim_buf_line_count(bufnr)
  local params = {
    textDocument = { uri = uri },
    range = {
      start = { line = 0, character = 0 },
      ["end"] = { line = line_count, character = 0 },
    },
    context = { diagnostics = {} },
  }
  local response, why = client.request_sync("textDocument/codeAction", params, 30000, bufnr)
  assert(response, "textDocument/codeAction failed: " .. tostring(why))
  assert(not response.err, "textDocument/codeAction error: " .. vim.inspect(response.err))
  report.actions = {}
  local fix_all
  for _, action in ipairs(response.result or {}) do
    table.insert(report.actions, { title = action.title, kind = action.kind })
    if action.title == FIX_ALL_TITLE and action.kind == FIX_ALL_KIND then
      fix_all = action
    end
  end
  assert(fix_all and type(fix_all.command) == "table", "no '" .. FIX_ALL_TITLE .. "' action")
  step("code actions listed")

  local before = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  local done, command_err, command_result = false, nil, nil
  local command = { command = fix_all.command.command, arguments = fix_all.command.arguments }
  local sent = client.request("workspace/executeCommand", command, function(err, res)
    command_err, command_result, done = err, res, true
  end, bufnr)
  assert(sent, "workspace/executeCommand could not be sent")
  step("command sent")

  local answered = vim.wait(30000, function()
    return done
  end, 50)
  assert(answered, "no workspace/executeCommand response within 30 s")
  assert(not command_err, "workspace/executeCommand error: " .. vim.inspect(command_err))
  report.command_result = command_result
  report.edits_when_answered = #report.edits
  step("command answered")

  -- The fix ends later: the server's workspace/applyEdit, then its result message.
  local ended = vim.wait(fix_timeout_ms, function()
    for _, m in ipairs(report.messages) do
      if m.at >= #report.steps and #report.edits > 0 then
        return true
      end
    end
    for _, p in ipairs(report.progress) do
      if type(p.params.value) == "table" and p.params.value.kind == "end" then
        return #report.messages > 0 -- ended without an edit: the message says why
      end
    end
    return false
  end, 100)
  assert(ended, "no applyEdit and result message within " .. fix_timeout_ms .. " ms")
  step("fix ended")

  local after = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  report.changed = not vim.deep_equal(before, after)
  report.buffer = after
  vim.cmd("write")
  step("written")

  local stopping = client
  vim.lsp.stop_client(stopping.id)
  vim.wait(15000, function()
    return vim.lsp.get_client_by_id(stopping.id) == nil
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
