/// What a drug field must never name: medicines that are not injected into the eye (tablets, drops,
/// drips, gases), and clinic words that are no drug at all (diagnoses, findings, procedures, headers).
/// `DrugLexicon` is what may be named; this is what the model sometimes takes for it.
public enum NotInjectedLexicon {
    /// Known medicines given other than into the eye, by lower-case name, with how they are given.
    public static let medicines: [String: String] = {
        var d: [String: String] = [:]
        func add(_ route: String, _ names: [String]) { for n in names { d[n] = route } }
        add("systemic", ["atorvastatin", "simvastatin", "rosuvastatin", "pravastatin", "statin", "statins",
                         "metformin", "gliclazide", "sitagliptin", "empagliflozin", "dapagliflozin", "insulin",
                         "novorapid", "lantus", "levemir", "apixaban", "rivaroxaban", "edoxaban", "dabigatran",
                         "warfarin", "heparin", "enoxaparin", "aspirin", "clopidogrel", "ticagrelor", "amlodipine",
                         "ramipril", "lisinopril", "losartan", "candesartan", "bisoprolol", "atenolol", "furosemide",
                         "bendroflumethiazide", "indapamide", "doxazosin", "levothyroxine", "omeprazole",
                         "lansoprazole", "paracetamol", "co-codamol", "ibuprofen", "naproxen", "codeine", "tramadol",
                         "morphine", "gabapentin", "pregabalin", "sertraline", "citalopram", "amitriptyline",
                         "allopurinol", "tamsulosin", "finasteride", "salbutamol", "seretide", "montelukast",
                         "amoxicillin", "co-amoxiclav", "flucloxacillin", "doxycycline", "clarithromycin",
                         "erythromycin", "ciprofloxacin", "nitrofurantoin", "trimethoprim", "cefalexin",
                         "prednisolone", "hydroxychloroquine", "mycophenolate", "azathioprine", "adalimumab",
                         "infliximab", "tocilizumab", "ciclosporin", "tacrolimus", "valaciclovir", "aciclovir",
                         "valganciclovir", "acetazolamide", "diamox", "vitamin", "vitamins", "preservision",
                         "ocuvite", "tamoxifen", "letrozole", "alendronate", "adcal", "sildenafil"])
        add("eye drops", ["chloramphenicol", "maxitrol", "predforte", "pred", "fml", "fluorometholone",
                          "loteprednol", "latanoprost", "xalatan", "bimatoprost", "lumigan", "travoprost",
                          "travatan", "timolol", "dorzolamide", "cosopt", "brinzolamide", "azopt", "brimonidine",
                          "alphagan", "combigan", "ganfort", "xalacom", "tafluprost", "ketorolac", "acular",
                          "nepafenac", "nevanac", "bromfenac", "ofloxacin", "levofloxacin", "moxifloxacin",
                          "tropicamide", "cyclopentolate", "phenylephrine", "atropine", "proxymetacaine",
                          "oxybuprocaine", "tetracaine", "fluorescein", "hylo", "hyloforte", "lacrilube",
                          "carbomer", "viscotears", "systane", "optive", "celluvisc", "povidone", "iodine",
                          "betadine", "lidocaine", "lignocaine", "g", "gtt", "oc"])
        add("intravenous (photodynamic therapy)", ["verteporfin", "visudyne"])
        add("intracameral", ["cefuroxime", "aprokam", "moxifloxacin"])
        add("tamponade gas or oil", ["sf6", "c3f8", "c2f6", "gas", "air", "oil", "silicone", "densiron"])
        return d
    }()

    /// Words typed near a drug that say it was not injected into the eye ("dexamethasone drops",
    /// "IV vancomycin", "oral ganciclovir", "subtenon triamcinolone").
    public static let routeWords: Set<String> = [
        "drop", "drops", "gtt", "gutt", "oint", "ointment", "po", "oral", "orally", "tablet", "tablets", "tab", "tabs",
        "iv", "intravenous", "intravenously", "infusion", "drip", "subtenon", "subtenons", "tenon", "tenons",
        "intracameral", "topical", "topically", "periocular", "subconjunctival", "orbital", "qds", "tds", "bd", "nocte",
        "mane", "hourly", "hrly", "daily", "systemic", "capsules", "suprachoroidal",
    ]

    /// Clinic words that are no drug: diagnoses, findings, symptoms, procedures, tests, headers and
    /// filler. An answer made only of these (and eye markers) names nothing injected.
    public static let clinicWords: Set<String> = [
        // diagnoses and findings
        "oedema", "edema", "cmo", "cme", "dmo", "dme", "amd", "namd", "wamd", "armd", "cnv", "cnvm", "mnv", "srf",
        "irf", "ped", "peds", "rpe", "ga", "rvo", "crvo", "brvo", "hrvo", "pdr", "npdr", "dr", "csr", "cscr", "erm",
        "mh", "fthm", "vmt", "vmta", "rd", "vh", "nvi", "nvg", "nvd", "nve", "pcv", "rap", "drusen", "scar",
        "fibrosis", "atrophy", "haemorrhage", "hemorrhage", "haem", "bleed", "bleeding", "exudate", "exudates",
        "fluid", "dry", "wet", "active", "inactive", "stable", "quiet", "worse", "better", "improved", "improving",
        "resolved", "persistent", "recurrent", "new", "macular", "macula", "retina", "retinal", "subretinal",
        "intraretinal", "cystic", "cysts", "thickening", "cataract", "pco", "glaucoma", "oht", "uveitis",
        "endophthalmitis", "conjunctivitis", "blepharitis", "keratitis", "infection", "inflammation", "diabetic",
        "maculopathy", "retinopathy", "degeneration", "occlusion", "vein", "artery", "myopic", "cmv", "retinitis",
        "toxoplasmosis", "vitritis", "floaters", "flashes", "pain", "redness", "red", "blur", "blurred", "blurring",
        "distortion", "metamorphopsia", "photopsia", "vision", "visual", "acuity", "pseudophakic", "phakic",
        "aphakic", "chorioretinopathy", "photocoagulation", "panretinal", "fovea", "foveal", "rubeosis", "hypopyon",
        "vitreous", "choroidal", "neovascularisation", "neovascularization", "telangiectasia", "angiography", "csmo",
        "pigment", "epithelial", "detachment", "tear", "hole", "membrane", "traction", "leakage", "focal", "grid",
        // procedures, tests and care
        "laser", "prp", "yag", "slt", "vitrectomy", "ppv", "phaco", "surgery", "retinopexy", "cryo", "cryotherapy",
        "buckle", "tamponade", "pdt", "oct", "octa", "ffa", "icg", "fa", "va", "bcva", "iop", "scan", "imaging",
        "photos", "consent", "speculum", "review", "rev", "observe", "observation", "obs", "monitor", "monitoring",
        "injection", "injections", "inj", "intravitreal", "ivt", "ivi", "implant", "procedure", "treatment", "tx",
        "loading", "dose", "extend", "prn", "discharge", "dc", "referral", "clinic", "appointment", "appt", "follow",
        "up", "fu", "plan", "today", "given", "done", "nil", "none", "no", "not", "declined", "deferred", "held",
        "stop", "stopped", "cancelled", "dna", "eye", "eyes", "and", "with", "the", "of", "to", "for", "in", "a",
        "an", "at", "right", "left", "both", "was", "is", "next", "visit", "drug", "agent", "batch", "lot", "site",
        "laterality", "side", "operator", "date", "time", "mg", "ml", "mcg", "units", "letter", "letters", "gp",
        "re", "dob", "hosp", "nhs", "mrn", "patient", "pt", "mr", "mrs", "ms", "miss", "consultant", "nurse",
        "yes", "ticked", "x", "n", "y",
    ]
}
