vim9script
# clinic-lsp with yegappan/lsp (Vim 9). Source this file from your vimrc after the plugin is loaded
# (packadd lsp), with editors/vim on 'runtimepath' (see README.md). Add 'text' or 'markdown' to
# g:clinic_lsp_filetypes to read notes kept there too.
g:clinic_lsp_filetypes = get(g:, 'clinic_lsp_filetypes', ['clinic'])

g:LspOptionsSet({showInlayHints: true, showDiagWithVirtualText: true})
g:LspAddServer([{
  name: 'clinic-lsp',
  filetype: g:clinic_lsp_filetypes,
  path: clinic#Executable(),
  args: [],
  initializationOptions: clinic#Settings(),
  workspaceConfig: clinic#WorkspaceConfig(),
}])

def MapKeys()
  nnoremap <buffer> K <Cmd>LspHover<CR>
  nnoremap <buffer> <localleader>a <Cmd>LspCodeAction<CR>
  nnoremap <buffer> <localleader>d <Cmd>LspDiag current<CR>
  nnoremap <buffer> <localleader>s <Cmd>LspCodeAction Insert structured summary<CR>
  nnoremap <buffer> <localleader>S <Cmd>LspCodeAction Insert summaries for all<CR>
enddef

augroup clinic_yegappan_lsp
  autocmd!
  autocmd FileType * if index(g:clinic_lsp_filetypes, &filetype) >= 0 | MapKeys() | endif
augroup END
