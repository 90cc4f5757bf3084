" One summary per finding line, drawn with Vim 9 text properties after the line's text: the line's most
" severe warning (if any), then the server's inlay hints, dim, drugs first, then acuities, then the rest,
" cut with … to fit the window: "W Eylea (aflibercept): no eye given │ 6/9 R logMAR 0.18".
" Used by clinic#ale; any client that can fetch textDocument/inlayHint can call Draw.

" Virtual text after the line ('text_align' after) came with Vim 9.0.0067; Debian 12 has 9.0.1378.
function! clinic#summary#Supported() abort
  return has('textprop') && has('patch-9.0.0297')
endfunction

function! s:Highlights() abort
  highlight default ClinicInlayHint ctermfg=245 guifg=#8a8a8a
  highlight default ClinicWarningText ctermfg=3 guifg=#d7af00
  highlight default ClinicErrorText ctermfg=1 guifg=#d75f5f
  for [l:type, l:group] in [['clinic_summary', 'ClinicInlayHint'], ['clinic_warning', 'ClinicWarningText'], ['clinic_error', 'ClinicErrorText']]
    if empty(prop_type_get(l:type))
      call prop_type_add(l:type, {'highlight': l:group})
    endif
  endfor
endfunction
call s:Highlights()
augroup clinic_summary_colours
  autocmd!
  autocmd ColorScheme * call s:Highlights()
augroup END

let s:types = ['clinic_warning', 'clinic_error', 'clinic_summary']

function! clinic#summary#Generation(buffer) abort
  return getbufvar(a:buffer, 'clinic_summary_generation', 0)
endfunction

" Fixes the sign column of the buffer's windows and keeps split, joined or deleted lines free of a
" summary that no longer belongs to them; Refresh(buffer) is called when the window is resized.
function! clinic#summary#Attach(buffer, Refresh) abort
  call setbufvar(a:buffer, 'clinic_summary_refresh', a:Refresh)
  for l:win in win_findbuf(a:buffer)
    call setwinvar(l:win, '&signcolumn', 'yes')
  endfor
  execute 'augroup clinic_summary_' . a:buffer
    autocmd!
    execute 'autocmd BufWinEnter <buffer=' . a:buffer . '> setlocal signcolumn=yes'
    execute 'autocmd VimResized * call s:Refresh(' . a:buffer . ')'
  augroup END
  call listener_add(function('s:OnChange'), a:buffer)
endfunction

function! s:Refresh(buffer) abort
  let l:Refresh = getbufvar(a:buffer, 'clinic_summary_refresh', 0)
  if type(l:Refresh) is v:t_func
    call l:Refresh(a:buffer)
  endif
endfunction

function! s:OnChange(buffer, start, end, added, changes) abort
  if a:added == 0
    return
  endif
  " Text properties move with their lines; the lines that were split or joined keep a stale one.
  call setbufvar(a:buffer, 'clinic_summary_generation', clinic#summary#Generation(a:buffer) + 1)
  let l:last = getbufinfo(a:buffer)[0].linecount
  let l:first = min([a:start, l:last])
  let l:until = min([max([a:end + a:added - 1, a:start]), l:last])
  if l:first >= 1
    for l:type in s:types
      call prop_remove({'type': l:type, 'bufnr': a:buffer, 'all': 1}, l:first, l:until)
    endfor
  endif
endfunction

function! s:Rank(hint) abort
  let l:data = get(a:hint, 'data', {})
  let l:field = type(l:data) is v:t_dict ? get(l:data, 'field', '') : ''
  let l:field = type(l:field) is v:t_string ? l:field : ''
  return l:field =~# '^drug' ? 0 : l:field =~# '^acuity' ? 1 : 2
endfunction

function! s:Label(hint) abort
  let l:label = get(a:hint, 'label', '')
  if type(l:label) is v:t_list
    let l:label = join(map(copy(l:label), {_, part -> get(part, 'value', '')}), '')
  endif
  return trim(type(l:label) is v:t_string ? l:label : '')
endfunction

function! s:Words(hint) abort
  let l:data = get(a:hint, 'data', {})
  let l:text = type(l:data) is v:t_dict ? get(l:data, 'text', '') : ''
  return type(l:text) is v:t_string ? l:text : ''
endfunction

function! s:Order(a, b) abort
  let [l:ra, l:rb] = [s:Rank(a:a), s:Rank(a:b)]
  if l:ra != l:rb
    return l:ra - l:rb
  endif
  return a:a.position.character - a:b.position.character
endfunction

" "Eylea R · 6/9 R logMAR 0.18"; the same words twice ("OU vabysmo") once: "vabysmo R L"; a full-style
" label ("Right eye IOP: 14 mmHg") alone.
function! clinic#summary#Line(hints) abort
  let l:items = []
  let l:last_words = v:null
  for l:hint in sort(copy(a:hints), function('s:Order'))
    let [l:label, l:words] = [s:Label(l:hint), s:Words(l:hint)]
    if empty(l:label)
      continue
    elseif stridx(l:label, ': ') >= 0 || empty(l:words)
      call add(l:items, l:label)
    elseif l:words is# l:last_words
      let l:items[-1] .= ' ' . l:label
    else
      call add(l:items, l:words . ' ' . l:label)
    endif
    let l:last_words = l:words
  endfor
  return join(l:items, ' · ')
endfunction

" Columns left after line `lnum` on its last screen row in the first window showing the buffer.
function! s:Room(buffer, lnum) abort
  let l:win = bufwinid(a:buffer)
  if l:win == -1
    return 1000
  endif
  let l:width = winwidth(l:win) - getwininfo(l:win)[0].textoff
  let l:used = strdisplaywidth(get(getbufline(a:buffer, a:lnum), 0, ''))
  if l:used > 0 && getwinvar(l:win, '&wrap')
    let l:used = (l:used - 1) % l:width + 1
  endif
  return l:width - l:used - 3 " two columns of padding and the last column
endfunction

" Cuts [[text, type], ...] to `width` display cells, ending in … where something was cut.
function! s:Fit(chunks, width) abort
  let [l:out, l:used] = [[], 0]
  for [l:text, l:type] in a:chunks
    let l:w = strdisplaywidth(l:text)
    if l:used + l:w <= a:width
      call add(l:out, [l:text, l:type])
      let l:used += l:w
      continue
    endif
    let l:keep = a:width - l:used - 1
    while l:keep >= 0 && strdisplaywidth(l:text) > l:keep
      let l:text = strcharpart(l:text, 0, strchars(l:text) - 1)
    endwhile
    if l:keep >= 0
      call add(l:out, [substitute(l:text, '\s\+$', '', '') . '…', l:type])
    endif
    break
  endfor
  return l:out
endfunction

" Draws the summaries: `hints` are the server's InlayHint objects (0-based lines), `warnings` loclist
" items ({lnum, col, type: 'E' or 'W', text}).
function! clinic#summary#Draw(buffer, hints, warnings) abort
  if !bufloaded(a:buffer)
    return
  endif
  for l:type in s:types
    call prop_remove({'type': l:type, 'bufnr': a:buffer, 'all': 1})
  endfor
  let l:by_line = {}
  for l:hint in a:hints
    let l:lnum = get(get(l:hint, 'position', {}), 'line', -1) + 1
    if l:lnum >= 1
      let l:by_line[l:lnum] = add(get(l:by_line, l:lnum, []), l:hint)
    endif
  endfor
  let l:warned = {}
  for l:w in sort(copy(a:warnings), {a, b -> a.type !=# b.type ? (a.type ==# 'E' ? -1 : 1) : a.col - b.col})
    let l:warned[l:w.lnum] = add(get(l:warned, l:w.lnum, []), l:w)
    let l:by_line[l:w.lnum] = get(l:by_line, l:w.lnum, [])
  endfor
  let l:count = getbufinfo(a:buffer)[0].linecount
  for [l:key, l:hints] in items(l:by_line)
    let l:lnum = str2nr(l:key)
    if l:lnum > l:count
      continue
    endif
    let l:chunks = []
    if has_key(l:warned, l:lnum)
      let l:worst = l:warned[l:lnum][0]
      let l:more = len(l:warned[l:lnum]) > 1 ? printf(' (+%d)', len(l:warned[l:lnum]) - 1) : ''
      call add(l:chunks, [l:worst.type . ' ' . split(l:worst.text, "\n")[0] . l:more,
      \   l:worst.type ==# 'E' ? 'clinic_error' : 'clinic_warning'])
    endif
    let l:summary = clinic#summary#Line(l:hints)
    if !empty(l:summary)
      if !empty(l:chunks)
        call add(l:chunks, [' │ ', 'clinic_summary'])
      endif
      call add(l:chunks, [l:summary, 'clinic_summary'])
    endif
    let l:first = 1
    for [l:text, l:type] in s:Fit(l:chunks, s:Room(a:buffer, l:lnum))
      call prop_add(l:lnum, 0, {'type': l:type, 'bufnr': a:buffer, 'text': l:text, 'text_align': 'after',
      \   'text_padding_left': l:first ? 2 : 0, 'text_wrap': 'truncate'})
      let l:first = 0
    endfor
  endfor
endfunction
