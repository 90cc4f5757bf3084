" Runs one of clinic-lsp's code actions by title with vim-lsp, whose :LspCodeAction filters by kind only.

function! clinic#vimlsp#CodeAction(title_prefix) abort
  if index(lsp#get_allowed_servers(), 'clinic-lsp') < 0
    echohl WarningMsg | echo 'clinic-lsp is not running in this buffer' | echohl None
    return
  endif
  let l:position = lsp#get_position()
  call lsp#send_request('clinic-lsp', {
  \   'method': 'textDocument/codeAction',
  \   'params': {
  \     'textDocument': lsp#get_text_document_identifier(),
  \     'range': {'start': l:position, 'end': l:position},
  \     'context': {'diagnostics': []},
  \   },
  \   'on_notification': function('s:apply', [a:title_prefix]),
  \})
endfunction

function! s:apply(title_prefix, data) abort
  if lsp#client#is_error(a:data['response'])
    echohl ErrorMsg | echo 'clinic-lsp: ' . lsp#client#error_message(a:data['response']) | echohl None
    return
  endif
  for l:action in a:data['response']['result']
    if stridx(get(l:action, 'title', ''), a:title_prefix) == 0 && has_key(l:action, 'edit')
      call lsp#utils#workspace_edit#apply_workspace_edit(l:action['edit'])
      return
    endif
  endfor
  echohl WarningMsg | echo 'clinic-lsp offers no "' . a:title_prefix . '" here' | echohl None
endfunction
