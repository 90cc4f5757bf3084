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
    "eylea": ["2mg", "2 mg", "0.05ml", "2mg/0.05ml", "8mg"], "Eylea HD": ["8mg", "8 mg"],
    "aflibercept": ["2mg", "2 mg", "8mg"], "aflibercept HD": ["8mg"], "Yesafili": ["2mg"],
    "Pavblu": ["2mg"], "Opuviz": ["2mg"], "Byooviz": ["0.5mg"], "Ximluci": ["0.5mg"],
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

# ---- vocabulary of the broadened layouts (letters, EHR exports, treatment logs, cancellations) ----
BIOSIMILARS = ["Yesafili", "Opuviz", "Pavblu", "Byooviz", "Cimerli", "Ongavia", "Ximluci", "Ahzantive", "Baiama",
               "Skojoy", "Ranivisio", "yesafili", "pavblu", "byooviz", H("Enzeevu"), H("Afqlir"), H("Rimmyrah")]
HIGH_DOSE = ["Eylea HD", "Eylea HD", "EYLEA HD", "aflibercept HD", "eylea HD", H("EyleaHD")]

# Systemic medicines of a medication list: never intravitreal, never an answer.
SYSTEMIC = ["atorvastatin 20mg ON", "atorvastatin 40mg", "simvastatin 40mg", "metformin 500mg BD", "metformin 1g BD",
            "gliclazide 80mg BD", "insulin (Novomix 30)", "Lantus insulin", "apixaban 5mg BD", "warfarin",
            "aspirin 75mg OD", "clopidogrel 75mg OD", "amlodipine 5mg OD", "ramipril 2.5mg", "amoxicillin 500mg TDS",
            "doxycycline 100mg OD", "prednisolone 5mg tablets", "prednisolone 40mg", "levothyroxine 50mcg",
            "bisoprolol 2.5mg", "omeprazole 20mg", "furosemide 40mg OM", "losartan 50mg", "oral acetazolamide 250mg",
            "sitagliptin", H("edoxaban 60mg"), H("lansoprazole 30mg"), H("dapagliflozin 10mg"), H("rivaroxaban")]
# Treatments that are not intravitreal drugs ({m} eye marker): never an answer.
NON_IVT = ["IV verteporfin with PDT {m}", "PDT (verteporfin) {m}", "intracameral cefuroxime at cataract surgery {m}",
           "subtenon triamcinolone {m}", "sub-Tenon's Kenalog 40mg {m}", "orbital floor triamcinolone {m}",
           "SF6 gas {m}", "C3F8 tamponade {m}", "air fill {m}", "PRP {m}", "PRP {m} today", "YAG capsulotomy {m}",
           "YAG {m} today", "oral acetazolamide 250mg QDS", "Diamox SR 250mg BD", "G. chloramphenicol QDS {m}",
           "dexamethasone drops {m} QDS", "G. pred forte {m} 2hrly", "latanoprost nocte {m}", "timolol 0.5% BD {m}",
           "focal laser {m}", "G. chloramphenicol {m} post inj", "phaco + IOL {m} with intracameral cefuroxime",
           H("SLT {m}"), H("C2F6 gas {m}"), H("topical ketorolac {m}"), H("micropulse laser {m}")]
# The same in letter prose ({eye} right/left, {P} pronoun).
NON_IVT_SENT = ["{P} had photodynamic therapy with IV verteporfin to the {eye} eye in {year}.",
                "{P} had cataract surgery to the {eye} eye with intracameral cefuroxime in {year}.",
                "I gave a subtenon injection of triamcinolone to the {eye} eye today for post-operative CMO.",
                "{P} had a vitrectomy with SF6 gas to the {eye} eye in {year}.",
                "I performed PRP laser to the {eye} eye today.", "I performed a YAG capsulotomy on the {eye} eye today.",
                "I have started oral acetazolamide 250mg QDS.", "{P} uses latanoprost drops at night in the {eye} eye.",
                "Please continue G. chloramphenicol QDS to the {eye} eye for one week.",
                "{P} is using dexamethasone drops in the {eye} eye.", "{P} had C3F8 gas tamponade in the {eye} eye.",
                H("{P} had sub-Tenon's Kenalog to the {eye} eye last month."),
                H("{P} uses timolol drops twice daily in the {eye} eye.")]
# Diagnosis and finding words typed next to an eye marker ("R) oedema"): no drug.
DX_FINDINGS = ["oedema", "CNV", "SRF", "IRF", "PED", "CMO", "drusen", "haem", "GA", "fibrosis", "scar", "nAMD",
               "DMO", "CRVO", "BRVO", "PDR", "ERM", "VMT", H("RAP lesion"), H("macular hole")]
# Acuity in words (letters); one value for each eye, and held-out spellings.
PROSE_LOW_VISION = ["counting fingers", "counting fingers at 1 metre", "hand movements", "perception of light",
                    "no perception of light", "light perception", "counting fingers at 2 feet", "hand motions",
                    H("counting fingers at half a metre"), H("perceives light")]
BOTH_PROSE = ["in each eye", "in both eyes", "right and left", "bilaterally", "in either eye", H("with each eye"),
              H("for both eyes")]
DEFER_REASONS = ["conjunctivitis", "raised IOP (32 mmHg)", "raised IOP", "IOP 34", "active infection",
                 "an active chest infection", "recent stroke", "stroke 3/52 ago", "blepharitis", "BP 200/110",
                 "pt unwell", "covid +ve", "allergy work-up first", "iodine allergy - work-up first", "recent MI",
                 "anterior uveitis", "no drug supply", "surgeon unavailable", "pt request", "dry on OCT",
                 H("TIA last week"), H("lid abscess"), H("suspected endophthalmitis in fellow eye")]
PATIENT_NAMES = ["Mrs Jane Smith", "Mr John Davies", "Mrs Mary O'Connor", "Mr Arjun Patel", "Ms Li Wei",
                 "Mrs Fatima Begum", "Mr Peter Roberts", "Mrs Susan Hughes", "Mr David Evans", "Miss Ann Lowe",
                 "Mrs Rita Leeson", "Mr Rahul Shah", H("Mr Tomasz Nowak"), H("Mrs Grace Adeyemi")]
GP_NAMES = ["Dr A Brown", "Dr L Morgan", "Dr R Singh", "Dr Hall", "Dr K Osei", "Dr R. Price", "Dr L. Green",
            "Dr Taylor", H("Dr Re Mensah"), H("Dr LE Watts")]
SIGNERS = ["Dr R Shah", "L. Jones, Consultant", "Mr R. Patel FRCOphth", "Dr L Chen", "Miss L Evans",
           "R. O'Brien, Specialty Doctor", "Dr R Kumar, Consultant Ophthalmologist", "L Ahmed, ANP",
           H("Prof R Kaur"), H("L Nguyen (ST5)")]
