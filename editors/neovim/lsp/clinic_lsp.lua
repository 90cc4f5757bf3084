-- Neovim 0.11+: with editors/neovim on 'runtimepath' (or this file copied to ~/.config/nvim/lsp/),
--   vim.lsp.enable('clinic_lsp')
-- starts clinic-lsp for clinic notes. Override fields with vim.lsp.config('clinic_lsp', { ... }).
return {
  cmd = { 'clinic-lsp' },
  filetypes = { 'clinic' },
  root_markers = { '.git' },
  -- Sent in workspace/didChangeConfiguration; see editors/README.md for the keys.
  settings = { clinic = vim.empty_dict() },
}
