" Run by test-vim-ale inside `vim -u editors/vim/vimrc`: waits for ALE's clinic-lsp problems and
" writes them, one per line, to $CLINIC_RESULT. Vim then exits; the shell script checks the file.
let s:deadline = reltimefloat(reltime()) + str2nr(empty($CLINIC_WAIT) ? '20' : $CLINIC_WAIT)
function! s:problems() abort
  return filter(copy(ale#engine#GetLoclist(bufnr('%'))), 'v:val.linter_name is# "clinic_lsp"')
endfunction
while reltimefloat(reltime()) < s:deadline
  if !empty(filter(s:problems(), 'v:val.text =~? "review"'))
    break
  endif
  sleep 50m
endwhile
let s:lines = ['filetype ' . &filetype, 'linters ' . join(map(ale#linter#Get(&filetype), 'v:val.name'), ',')]
for s:p in s:problems()
  call add(s:lines, printf('line %d: %s [%s] %s', s:p.lnum, s:p.type, get(s:p, 'code', ''), s:p.text))
endfor
call writefile(s:lines, $CLINIC_RESULT)
qall!
