" ALE linter for clinic-lsp. ALE loads it for 'clinic' buffers from ale_linters/clinic/clinic_lsp.vim;
" clinic#ale#Define('markdown') (or 'text') reads notes kept in those files too.
"
" ALE has no inlay hints and shows information as warnings, so for each clinic buffer this also
" (g:clinic_lsp_line_summary, default on):
" - keeps the severity the server sent: findings get ALE's info sign, checks the warning sign;
" - asks the server for textDocument/inlayHint whenever fresh diagnostics arrive, and draws one line
"   summary per finding line with text properties (autoload/clinic/summary.vim);
" - fixes the sign column, and drops the summary of a line that is split, joined or deleted at once.

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
  call clinic#ale#Screen(a:filetype)
endfunction

" Draws line summaries in buffers of `filetype` (and in the current buffer, if it has it already).
function! clinic#ale#Screen(filetype) abort
  if !get(g:, 'clinic_lsp_line_summary', 1) || !clinic#summary#Supported()
    return
  endif
  execute 'augroup clinic_ale_' . a:filetype
    autocmd!
    execute 'autocmd FileType ' . a:filetype . ' call clinic#ale#Attach(str2nr(expand("<abuf>")))'
  augroup END
  if &filetype is# a:filetype
    call clinic#ale#Attach(bufnr(''))
  endif
endfunction

let s:connections = {}

function! s:Linter(buffer) abort
  let l:filetype = ale#linter#ResolveFiletype(getbufvar(a:buffer, '&filetype'))
  let l:linters = filter(ale#linter#GetAll(l:filetype), {_, v -> v.name is# 'clinic_lsp'})
  return empty(l:linters) ? {} : l:linters[0]
endfunction

function! clinic#ale#Attach(buffer) abort
  if getbufvar(a:buffer, 'clinic_ale_attached', 0)
    return
  endif
  let l:linter = s:Linter(a:buffer)
  if empty(l:linter)
    return
  endif
  call setbufvar(a:buffer, 'clinic_ale_attached', 1)
  call clinic#summary#Attach(a:buffer, function('s:RequestHints'))
  call ale#lsp_linter#StartLSP(a:buffer, l:linter, function('s:OnConnection'))
endfunction

function! s:OnConnection(linter, details) abort
  let l:id = a:details.connection_id
  if !has_key(s:connections, l:id)
    let s:connections[l:id] = 1
    " A funcref named clinic#... sorts after ALE's own, so it runs after ALE has read the message.
    call ale#lsp#RegisterCallback(l:id, function('clinic#ale#OnMessage'))
  endif
  call s:RequestHints(a:details.buffer)
endfunction

function! s:Buffer(uri) abort
  return bufnr('^' . escape(fnameescape(ale#util#ToResource(a:uri)), '^,}]') . '$')
endfunction

function! clinic#ale#OnMessage(conn_id, message) abort
  if get(a:message, 'method', '') isnot# 'textDocument/publishDiagnostics'
    return
  endif
  let l:buffer = s:Buffer(a:message.params.uri)
  if l:buffer < 0 || !getbufvar(l:buffer, 'clinic_ale_attached', 0) || empty(get(g:ale_buffer_info, l:buffer, {}))
    return
  endif
  " ALE reads information and hints as warnings: read them again, one item per diagnostic, and give
  " each the type of its severity.
  let l:loclist = ale#lsp#response#ReadDiagnostics(a:message)
  let l:diagnostics = a:message.params.diagnostics
  if len(l:loclist) == len(l:diagnostics)
    for l:i in range(len(l:loclist))
      let l:severity = get(l:diagnostics[l:i], 'severity', 1)
      let l:loclist[l:i].type = get({1: 'E', 2: 'W'}, l:severity, 'I')
    endfor
    call ale#engine#HandleLoclist('clinic_lsp', l:buffer, l:loclist, 0)
  endif
  call s:RequestHints(l:buffer)
endfunction

function! s:RequestHints(buffer) abort
  if !bufloaded(a:buffer) || empty(s:Linter(a:buffer))
    return
  endif
  let l:generation = clinic#summary#Generation(a:buffer)
  let l:params = {
  \   'textDocument': {'uri': ale#util#ToURI(fnamemodify(bufname(a:buffer), ':p'))},
  \   'range': {'start': {'line': 0, 'character': 0}, 'end': {'line': getbufinfo(a:buffer)[0].linecount, 'character': 0}},
  \}
  call ale#lsp_linter#SendRequest(a:buffer, 'clinic_lsp', [0, 'textDocument/inlayHint', l:params],
  \   {response -> s:OnHints(a:buffer, l:generation, response)})
endfunction

function! s:OnHints(buffer, generation, response) abort
  if has_key(a:response, 'error') || type(get(a:response, 'result')) isnot v:t_list
    return
  endif
  " Lines came or went since the request: the next diagnostics bring hints for the new lines.
  if clinic#summary#Generation(a:buffer) != a:generation
    return
  endif
  let l:warnings = filter(copy(ale#engine#GetLoclist(a:buffer)),
  \   {_, v -> get(v, 'linter_name', '') is# 'clinic_lsp' && get(v, 'bufnr', a:buffer) == a:buffer && v.type =~# '^[EW]$'})
  call clinic#summary#Draw(a:buffer, a:response.result, l:warnings)
endfunction

" Runs the server's code action whose title starts with `title` at the cursor, then lints at once.
function! clinic#ale#CodeAction(title) abort
  let l:buffer = bufnr('')
  let l:pos = {'line': line('.') - 1, 'character': col('.') - 1}
  let l:params = {
  \   'textDocument': {'uri': ale#util#ToURI(expand('%:p'))},
  \   'range': {'start': l:pos, 'end': l:pos},
  \   'context': {'diagnostics': []},
  \}
  call ale#lsp_linter#SendRequest(l:buffer, 'clinic_lsp', [0, 'textDocument/codeAction', l:params],
  \   {response -> s:OnCodeActions(l:buffer, a:title, response)})
endfunction

function! s:OnCodeActions(buffer, title, response) abort
  let l:actions = get(a:response, 'result', [])
  for l:action in type(l:actions) is v:t_list ? l:actions : []
    if stridx(get(l:action, 'title', ''), a:title) != 0
      continue
    endif
    let l:changes = ale#code_action#GetChanges(get(l:action, 'edit', v:null))
    if !empty(l:changes)
      call ale#code_action#HandleCodeAction(
      \   {'description': 'codeaction', 'changes': ale#code_action#BuildChangesList(l:changes)}, {})
    endif
    " A bare Command, or a CodeAction that carries one.
    let l:command = type(get(l:action, 'command')) is v:t_dict ? l:action.command
    \   : type(get(l:action, 'command')) is v:t_string ? l:action : {}
    if !empty(l:command)
      call ale#lsp_linter#SendRequest(a:buffer, 'clinic_lsp', [0, 'workspace/executeCommand',
      \   {'command': l:command.command, 'arguments': get(l:command, 'arguments', [])}], {_ -> 0})
    endif
    call ale#Queue(0, '', a:buffer)
    return
  endfor
  echomsg 'clinic-lsp offers no "' . a:title . '" here'
endfunction
