" clinic-lsp for clinic notes; see editors/vim/README.md.
call ale#linter#Define('clinic', clinic#ale#Linter())
call clinic#ale#Screen('clinic')
