-- A complete Neovim configuration for clinic notes (Neovim 0.7 or later):
--   nvim -u editors/neovim/init.lua examples/clinic-day.clinic
-- To use it from your own config instead, see editors/neovim/README.md.
local here = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h')
local repo = vim.fn.fnamemodify(here, ':h:h')
vim.opt.runtimepath:prepend(here)
vim.cmd('filetype plugin on')
vim.cmd('syntax on')

-- The server: $CLINIC_LSP, else this checkout's release or debug build, else clinic-lsp on $PATH.
local function server()
  local env = vim.env.CLINIC_LSP
  if env and env ~= '' then return env end
  for _, build in ipairs({ 'release', 'debug' }) do
    local path = repo .. '/.build/' .. build .. '/clinic-lsp'
    if vim.fn.executable(path) == 1 then return path end
  end
  return 'clinic-lsp'
end

require('clinic_lsp').setup({
  cmd = { server() },
  -- Also read notes in plain text and Markdown files.
  filetypes = { 'clinic', 'text', 'markdown' },
})
