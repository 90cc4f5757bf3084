" ALE linter for clinic-lsp. ALE loads it for 'clinic' buffers from ale_linters/clinic/clinic_lsp.vim;
" clinic#ale#Define('markdown') (or 'text') reads notes kept in those files too.

function! clinic#ale#Linter() abort
  return {
  \   'name': 'clinic_lsp',
  \   'lsp': 'stdio',
  \   'executable': {buffer -> clinic#Executable()},
  \   'command': '%e',
  \   'language': 'clinic',
  \   'project_root': {buffer -> clinic#ProjectRoot(buffer)},
  \   'initialization_options': {buffer -> clinic#Settings()},
  \   'lsp_config': {buffer -> clinic#WorkspaceConfig()},
  \}
endfunction

function! clinic#ale#Define(filetype) abort
  call ale#linter#Define(a:filetype, clinic#ale#Linter())
  let g:ale_linters = get(g:, 'ale_linters', {})
  if type(get(g:ale_linters, a:filetype)) is v:t_list
    call add(g:ale_linters[a:filetype], 'clinic_lsp')
  elseif a:filetype is# 'text'
    " ALE runs no linters on text unless told to.
    let g:ale_linters.text = ['clinic_lsp']
  endif
endfunction
