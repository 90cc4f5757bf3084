"""Vocabulary for the clinic-note generator, written from shared/DOMAIN.md.

Every list entry is either a plain value (used by both splits) or `H(value)`, which marks it as held out:
the train split never sees it, the held-out split prefers it, so the held-out score measures how well the
model generalises to drug names, acuity values and laterality spellings it was not trained on.
"""


class H(str):
    """A vocabulary item reserved for the held-out split."""


# Drug surface forms as a clinician types them (case is varied at render time unless the form is mixed-case).
DRUGS = [
    "eylea", "Eylea HD", "aflibercept", "Yesafili", "Opuviz", "Ahzantive", "Baiama", H("Enzeevu"), H("Afqlir"),
    "Pavblu", "Skojoy",
    "lucentis", "ranibizumab", "Susvimo", "Byooviz", "Cimerli", "Ongavia", "Ximluci", H("Rimmyrah"),
    "Ranivisio", "Razumab",
    "avastin", "bevacizumab", H("Lytenava"),
    "vabysmo", "faricimab", "beovu", "brolucizumab", "macugen", "pegaptanib",
    "ozurdex", "iluvien", "yutiq", "triamcinolone", "IVTA", "Triesence", "kenalog",
    "syfovre", "pegcetacoplan", "izervay", "avacincaptad pegol",
    "jetrea", "ocriplasmin", "ganciclovir", "foscarnet", "vancomycin", "ceftazidime", "amikacin",
    "amphotericin", "voriconazole", "methotrexate", "anti-VEGF", "IVB", "IVR",
    # typed variants
    "eyelea", "eyela", "lucentus", "vabismo", "ranibuzumab", "avastine", "ozudex", "faricimib", H("eylia"),
    H("lucentiss"), H("vabysomo"), H("avastn"), H("bevacizamab"),
]

# Drugs worth a dose suffix, and what is typed after them.
DOSES = {
    "eylea": ["2mg", "2 mg", "0.05ml", "2mg/0.05ml"], "Eylea HD": ["8mg", "8 mg"], "aflibercept": ["2mg", "2 mg"],
    "lucentis": ["0.5mg", "0.5 mg", "0.3mg"], "ranibizumab": ["0.5mg", "0.5 mg"], "avastin": ["1.25mg", "1.25 mg"],
    "bevacizumab": ["1.25mg"], "vabysmo": ["6mg", "6 mg"], "faricimab": ["6mg"], "beovu": ["6mg"],
    "ozurdex": ["0.7mg", "700mcg"], "triamcinolone": ["4mg", "2mg"], "kenalog": ["4mg"], "iluvien": ["0.19mg"],
    "vancomycin": ["1mg/0.1ml", "1mg"], "amikacin": ["0.4mg"], "ganciclovir": ["2mg"], "foscarnet": ["2.4mg"],
    "methotrexate": ["400mcg"], "syfovre": ["15mg"],
}

# Topical or systemic drugs: never injected, they only ever appear as distractors.
DROPS = [
    "G. chloramphenicol", "chloramphenicol 0.5%", "pred forte", "G. pred forte 1%", "maxitrol", "dexamethasone drops",
    "G. timolol 0.5%", "latanoprost", "xalatan", "cosopt", "lumigan", "hylo forte", "G. lubricants", "acetazolamide",
    "diamox", "G. cyclopentolate 1%", "tropicamide", "povidone iodine 5%", "G. ofloxacin", "ketorolac",
]

# Pairs (right, left) of laterality markers as typed; one pair is usually used through a note.
SIDE_PAIRS = [
    ("R", "L"), ("R)", "L)"), ("r)", "l)"), ("RE", "LE"), ("R.E.", "L.E."), ("OD", "OS"), ("O.D.", "O.S."),
    ("rt", "lt"), ("Rt", "Lt"), ("right", "left"), ("Right", "Left"), ("right eye", "left eye"),
    ("RIGHT", "LEFT"), ("R eye", "L eye"), (H("rt eye"), H("lt eye")), ("(R)", "(L)"), ("r", "l"),
    ("RT", "LT"), (H("Rt."), H("Lt.")), ("Re", "Le"), ("od", "os"),
]
# Markers that can be glued to the next word ("R)eylea", "R6/9").
GLUE_OK = {"R", "L", "R)", "L)", "r)", "l)", "RE", "LE", "(R)", "(L)"}

BOTH_EYES = ["OU", "BE", "bilat", "bilateral", "R+L", "both eyes", "both", H("B/E"), "R&L", H("OU (both eyes)")]

SNELLEN_METRIC = ["6/5", "6/6", "6/7.5", "6/9", "6/12", "6/15", "6/18", "6/19", "6/24", "6/30", "6/36",
                  "6/38", "6/48", "6/60", H("6/95"), "5/60", "4/60", "3/60", "2/60", "1/60"]
SNELLEN_IMPERIAL = ["20/15", "20/20", "20/25", "20/30", "20/40", "20/50", "20/60", H("20/70"), "20/80", "20/100",
                    "20/125", "20/150", "20/200", H("20/300"), "20/400"]
DECIMAL = ["1.0", "0.8", "0.63", "0.5", "0.4", "0.32", H("0.25"), "0.2", "0.16", "0.1", "0.05", H("1.2")]
LOGMAR = ["-0.10", "0.00", "0.0", "0.10", "0.1", "0.18", "0.20", "0.2", "0.30", "0.3", "0.40", H("0.48"), "0.50",
          "0.60", "0.6", H("0.78"), "0.70", "0.80", "1.00", "1.0", "1.10", "1.30", "0.22", H("0.36"), "0.94"]
LETTERS_FMT = ["{n} letters", "{n}letters", "{n} ltrs", "{n}ltrs", "{n} L", H("{n} let"), "{n} ETDRS letters"]
LOW_VISION = ["CF", "CF", "CF 1m", "CF 2ft", "CF 50cm", "CF @ 1m", "CF at 2ft", H("CF 3ft"), "CF 30cm", "CF 1ft",
              "counting fingers", "HM", "HM", "hand movements", "PL", "LP", H("PL+"), "NPL", "NLP", H("no PL"),
              "cf", "hm", "npl", H("CFs"), "CF 6ft", "Hm", H("HMs"), "PL only"]
LETTER_SUFFIX = ["-1", "-2", "+1", "+2", "-3", "+3", " -1", "-4", H("+4")]

# Earlier-visit or pinhole additions after the current acuity (never the answer).
PREV_FMT = ["(was {v})", "(prev {v})", "(last {v})", "(previously {v})", "(from {v})", "prev {v}", "was {v}",
            H("(last visit {v})"), "(6/52 ago {v})", "↓ from {v}", "(pre-inj {v})"]
PH_FMT = ["PH {v}", "ph {v}", "c PH {v}", "pinhole {v}", "PH: {v}", "+PH {v}", H("w/ PH {v}"), "PHNI", "ph ni",
          "PH NI", H("ph={v}"), "cc {v}", "aided {v}", "BCVA {v}"]

REASONS = ["BP 190/105", "BP high", "pt unwell", "active infection", "conjunctivitis", "blepharitis", "pt anxious",
           "no supply", "no slot", "chest infection", "recent MI", "pt request", "IOP 32", "dry on OCT",
           "stable", "macula dry", "pt late", "runny eye", "covid +ve", "stroke 2/52 ago", "pregnancy"]

DIAGNOSES = ["nAMD", "wet AMD", "dry AMD", "DMO", "DME", "CRVO", "BRVO", "RVO", "PDR", "NPDR", "CNV", "GA", "CSR",
             "ERM", "myopic CNV", "PCV", "MacTel", "uveitic CMO", "CMO", "VMT", "PVD", "RAP", "PED"]

OCT_FINDINGS = ["dry", "SRF", "IRF", "SRF+IRF", "fluid", "no fluid", "dry macula", "SRF resolved", "IRF ↓",
                "IRF ↑", "new SRF", "PED stable", "PED", "minimal SRF", "persistent IRF", "fibrosis", "GA",
                "CMO", "CMO improved", "ERM", "VMT", "stable", "improved", "worse", "inactive", "active",
                "CST 289", "CMT 412", "CST 350 (was 420)", "thinner", "flat", "some SRF", "trace IRF"]

CLINICIANS = ["Dr Patel", "Dr Jones", "Mr Smith", "Ms Khan", "Dr O'Neill", "Nurse Lee", "NP Adams", "SpR Chen",
              "Dr Okafor", "Mr Williams", "ANP Brown", "Dr Garcia"]

# Invented drug-like names teach the model to find a drug by its place in the note, not by a lexicon.
SYNTH_SYLLABLES = ["za", "vo", "ri", "bel", "ty", "lex", "mo", "qua", "fen", "dro", "ka", "sil", "ven", "tor",
                   "ra", "ne", "pa", "xi", "lu", "mir", "ze", "go", "bra", "sto"]
SYNTH_SUFFIXES = ["mab", "cept", "zumab", "ximab", "ra", "via", "sa", "tra", "lia", "mo", "vu", "ea", "ly"]
