" Highlighting for ophthalmology clinic notes: eye markers, injected drugs, visual acuities, and the
" fractions that are not acuities (review intervals, IOP pairs), so a clinician can tell them apart.
if exists('b:current_syntax')
  finish
endif

syntax case ignore
syntax keyword clinicDrug eylea aflibercept yesafili opuviz ahzantive baiama enzeevu afqlir pavblu skojoy
syntax keyword clinicDrug lucentis ranibizumab susvimo byooviz cimerli ongavia ximluci rimmyrah ranivisio razumab
syntax keyword clinicDrug avastin bevacizumab lytenava vabysmo faricimab beovu brolucizumab macugen pegaptanib
syntax keyword clinicDrug ozurdex dexamethasone iluvien yutiq fluocinolone triamcinolone ivta triesence kenalog
syntax keyword clinicDrug syfovre pegcetacoplan izervay avacincaptad jetrea ocriplasmin ganciclovir foscarnet
syntax keyword clinicDrug vancomycin ceftazidime amikacin amphotericin voriconazole methotrexate ivb ivr
syntax match clinicDrug /\<anti-vegf\>/

syntax match clinicAcuity /\<6\/\%(5\|6\|7\.5\|9\|12\|15\|18\|19\|24\|30\|36\|38\|48\|60\|95\)\%([-+]\d\)\=\>/
syntax match clinicAcuity /\<[1-5]\/60\>/
syntax match clinicAcuity /\<20\/\d\{2,3}\%([-+]\d\)\=\>/
syntax match clinicAcuity /\<\%(cf\|hm\|pl\|lp\|npl\|nlp\|phni\)\>/
syntax match clinicAcuity /\<\%(counting fingers\|hand movements\=\)\>/
syntax match clinicAcuity /\<\d\{2} \=\%(letters\|ltrs\)\>/

" Defined after the acuities so that they win where both match.
syntax match clinicNotAcuity /\<\%(rev\|rv\|review\|f\/u\|fu\|rtc\|in\|for\)[ .:]*\d\+\/\%(52\|12\|7\)\>/
syntax match clinicNotAcuity /\<\d\+\/52\>/
syntax match clinicNotAcuity /\<iop[ :]*\d\+\/\d\+/

syntax case match
syntax match clinicLaterality /\<[RrLl])/
syntax match clinicLaterality /\<\%(RE\|LE\|OD\|OS\|OU\|BE\|R\.E\.\|L\.E\.\|O\.D\.\|O\.S\.\)\%(\>\|\s\|$\)\@=/
syntax match clinicLaterality /\<\%([Rr]ight\|[Ll]eft\|rt\|lt\|[Bb]ilat\%(eral\)\=\|R+L\)\>/
syntax match clinicComment /^#.*$/

highlight default link clinicDrug Function
highlight default link clinicAcuity Constant
highlight default link clinicNotAcuity Comment
highlight default link clinicLaterality Keyword
highlight default link clinicComment Comment

let b:current_syntax = 'clinic'
