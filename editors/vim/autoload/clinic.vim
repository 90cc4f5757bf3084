" Shared by the ALE, vim-lsp and yegappan/lsp set-ups of clinic-lsp.
"   g:clinic_lsp_path      the server binary (default: clinic-lsp on $PATH)
"   g:clinic_lsp_settings  server settings, a Dictionary (see editors/README.md); sent as
"                          initializationOptions and, under 'clinic', in didChangeConfiguration

function! clinic#Executable() abort
  let l:path = get(g:, 'clinic_lsp_path', '')
  return empty(l:path) ? 'clinic-lsp' : expand(l:path)
endfunction

function! clinic#Command() abort
  return [clinic#Executable()]
endfunction

function! clinic#Settings() abort
  return get(g:, 'clinic_lsp_settings', {})
endfunction

function! clinic#WorkspaceConfig() abort
  return {'clinic': clinic#Settings()}
endfunction

" The enclosing git repository of the buffer's file, else its directory.
function! clinic#ProjectRoot(buffer) abort
  let l:dir = fnamemodify(bufname(a:buffer), ':p:h')
  let l:git = finddir('.git', l:dir . ';')
  return empty(l:git) ? l:dir : fnamemodify(l:git, ':p:h:h')
endfunction
