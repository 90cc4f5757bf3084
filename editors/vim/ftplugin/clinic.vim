" Clinic notes are prose: one note per paragraph, wrapped text, '#' comments.
if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1
setlocal commentstring=#\ %s comments=:#
setlocal linebreak
let b:undo_ftplugin = 'setlocal commentstring< comments< linebreak<'
