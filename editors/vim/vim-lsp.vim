" clinic-lsp with prabirshrestha/vim-lsp. Source this file from your vimrc after vim-lsp is loaded,
" with editors/vim on 'runtimepath' (see README.md). Add 'text' or 'markdown' to
" g:clinic_lsp_filetypes to read notes kept there too.
let g:clinic_lsp_filetypes = get(g:, 'clinic_lsp_filetypes', ['clinic'])
let g:lsp_inlay_hints_enabled = get(g:, 'lsp_inlay_hints_enabled', 1)

function! s:register() abort
  call lsp#register_server({
  \   'name': 'clinic-lsp',
  \   'cmd': {server_info -> clinic#Command()},
  \   'allowlist': g:clinic_lsp_filetypes,
  \   'languageId': {server_info -> 'clinic'},
  \   'root_uri': {server_info -> lsp#utils#path_to_uri(clinic#ProjectRoot(bufnr('%')))},
  \   'initialization_options': clinic#Settings(),
  \   'workspace_config': clinic#WorkspaceConfig(),
  \})
endfunction

function! s:on_buffer_enabled() abort
  nmap <buffer> K <plug>(lsp-hover)
  nmap <buffer> <localleader>a <plug>(lsp-code-action)
  nmap <buffer> <localleader>d <plug>(lsp-document-diagnostics)
  nnoremap <buffer> <localleader>s :call clinic#vimlsp#CodeAction('Insert structured summary')<CR>
  nnoremap <buffer> <localleader>S :call clinic#vimlsp#CodeAction('Insert summaries for all')<CR>
endfunction

augroup clinic_vim_lsp
  autocmd!
  autocmd User lsp_setup call s:register()
  autocmd User lsp_buffer_enabled if index(g:clinic_lsp_filetypes, &filetype) >= 0 | call s:on_buffer_enabled() | endif
augroup END
