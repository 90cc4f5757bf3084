-- nvim-lspconfig entry for clinic-lsp. With editors/neovim on 'runtimepath', nvim-lspconfig finds it by
-- name (it loads lspconfig.server_configurations.<name>, or lspconfig.configs.<name> in newer releases):
--   require('lspconfig').clinic_lsp.setup({ settings = { clinic = { debounceMs = 300 } } })
local function root_dir(fname)
  local git = vim.fn.finddir('.git', vim.fn.fnamemodify(fname, ':p:h') .. ';')
  if git ~= '' then return vim.fn.fnamemodify(git, ':p:h:h') end
  return vim.fn.fnamemodify(fname, ':p:h')
end

return {
  default_config = {
    cmd = { 'clinic-lsp' },
    filetypes = { 'clinic' },
    root_dir = root_dir,
    single_file_support = true,
    -- Sent in workspace/didChangeConfiguration; see editors/README.md for the keys.
    settings = { clinic = vim.empty_dict() },
  },
  docs = {
    description = [[
clinic-lsp reads ophthalmology clinic notes (*.clinic) and shows which drug went into which eye and
each eye's visual acuity, as diagnostics, inlay hints, hover and "Insert structured summary" code actions.
Build it with `swift build -c release`; the binary is .build/release/clinic-lsp.
]],
    default_config = { root_dir = 'the enclosing git repository, else the file\'s directory' },
  },
}
