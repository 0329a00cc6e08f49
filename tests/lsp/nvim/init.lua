-- agentfix in Neovim: a minimal init.lua (works with Debian 12's Neovim 0.7.2 and newer).
--
-- It starts `python -m agentfix serve` for Python buffers, one server per project
-- (the directory holding pyproject.toml). Settings go in init_options with the server's
-- camelCase keys; they override [tool.agentfix] in the project's pyproject.toml.
-- The NVIM_AGENTFIX_* variables only exist so the end-to-end test can point this config
-- at its venv and at a fake model server; a user writes the values in directly.

local python = vim.env.NVIM_AGENTFIX_PYTHON or "python3" -- an interpreter with agentfix installed
local settings = {
  provider = "ollama",
  baseUrl = vim.env.NVIM_AGENTFIX_BASE_URL or "http://127.0.0.1:11434",
  model = vim.env.NVIM_AGENTFIX_MODEL or "qwen2.5-coder:1.5b",
  candidates = 1,
}

local function project_root(bufnr)
  local dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ":p:h")
  local found = vim.fn.findfile("pyproject.toml", dir .. ";")
  return found ~= "" and vim.fn.fnamemodify(found, ":p:h") or dir
end

local started = {} -- project root -> client id (Neovim 0.7 has no vim.lsp.start)

local function attach(bufnr)
  local config = {
    name = "agentfix",
    cmd = { python, "-m", "agentfix", "serve" },
    root_dir = project_root(bufnr),
    init_options = settings,
  }
  if vim.lsp.start then -- Neovim 0.8+: starts or reuses the project's client
    vim.lsp.start(config, { bufnr = bufnr })
    return
  end
  local id = started[config.root_dir]
  if id == nil or vim.lsp.client_is_stopped(id) then
    id = vim.lsp.start_client(config)
    started[config.root_dir] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
end

vim.api.nvim_create_autocmd("FileType", {
  pattern = "python",
  callback = function(args)
    attach(args.buf)
  end,
})

-- <leader>af: "Fix file with local agent" (the source.agentfix code action).
vim.keymap.set("n", "<leader>af", function()
  if vim.fn.has("nvim-0.8") == 1 then
    vim.lsp.buf.code_action({ context = { only = { "source.agentfix" } }, apply = true })
  else
    vim.lsp.buf.code_action({ only = { "source.agentfix" } })
  end
end, { desc = "agentfix: fix file with local agent" })
