" Ophthalmology clinic notes.
autocmd BufRead,BufNewFile *.clinic setfiletype clinic
