/// One injectable drug (or a generic word for an unnamed intravitreal injection) and the names it is typed by.
public struct DrugEntry: Sendable, Equatable {
    /// International non-proprietary name; nil for generic words ("anti-VEGF", "IVT").
    public var generic: String?
    public var drugClass: String
    /// Brand names, first is the reference product; `biosimilars` are brands of the same molecule.
    public var brands: [String]
    public var biosimilars: [String]
    /// Other ways of typing it: abbreviations, alternative spellings, multi-word forms (lower case).
    public var aliases: [String]
    /// Misspellings seen in notes (lower case); others are caught by edit distance.
    public var misspellings: [String]
    /// The molecule is also given by other routes (drops, tablets, a drip): typed next to a route word
    /// ("dexamethasone drops", "IV vancomycin") it was not injected into the eye.
    public var otherRoutes: Bool

    public init(generic: String?, drugClass: String, brands: [String] = [], biosimilars: [String] = [],
                aliases: [String] = [], misspellings: [String] = [], otherRoutes: Bool = false) {
        self.generic = generic
        self.drugClass = drugClass
        self.brands = brands
        self.biosimilars = biosimilars
        self.aliases = aliases
        self.misspellings = misspellings
        self.otherRoutes = otherRoutes
    }
}

/// What is injected or implanted into the eye (see DOMAIN.md): the only drugs a drug field may name.
/// Brand, biosimilar and shorthand names; lookup keys are lower case, multi-word names single-spaced.
/// Medicines given otherwise, and words that are no drug, are in `NotInjectedLexicon`.
public enum DrugLexicon {
    public static let entries: [DrugEntry] = [
        DrugEntry(generic: "aflibercept", drugClass: "anti-VEGF",
                  brands: ["Eylea", "Eylea HD", "Zaltrap"],
                  biosimilars: ["Yesafili", "Opuviz", "Ahzantive", "Baiama", "Enzeevu", "Afqlir", "Pavblu", "Skojoy"],
                  aliases: ["ziv-aflibercept"],
                  misspellings: ["eyelea", "eyela", "eylia", "eyelia", "elyea", "aflibercep", "afliberecept"]),
        DrugEntry(generic: "ranibizumab", drugClass: "anti-VEGF",
                  brands: ["Lucentis", "Susvimo"],
                  biosimilars: ["Byooviz", "Cimerli", "Ongavia", "Ximluci", "Rimmyrah", "Ranivisio", "Razumab"],
                  aliases: ["ivr", "rbz", "ranibizumab-nuna", "ranibizumab-eqrn"],
                  misspellings: ["lucentus", "lucentes", "ranibuzumab", "ranibizumub", "ranibizimab"]),
        DrugEntry(generic: "bevacizumab", drugClass: "anti-VEGF", brands: ["Avastin", "Lytenava"],
                  aliases: ["ivb", "bevacizumab gamma", "bev"],
                  misspellings: ["avastine", "avasten", "bevacizimab", "bevacizumub"]),
        DrugEntry(generic: "conbercept", drugClass: "anti-VEGF", brands: ["Lumitin"]),
        DrugEntry(generic: "faricimab", drugClass: "anti-VEGF/anti-Ang-2", brands: ["Vabysmo"],
                  aliases: ["faricimab-svoa"], misspellings: ["vabismo", "vabysmio", "vabsymo", "faracimab", "faricimib"]),
        DrugEntry(generic: "brolucizumab", drugClass: "anti-VEGF", brands: ["Beovu"],
                  aliases: ["brolucizumab-dbll"]),
        DrugEntry(generic: "pegaptanib", drugClass: "anti-VEGF aptamer", brands: ["Macugen"]),
        DrugEntry(generic: "dexamethasone", drugClass: "corticosteroid implant", brands: ["Ozurdex"],
                  aliases: ["dex", "dexamethasone implant", "dex implant"], misspellings: ["ozurdx", "ozudex", "ozerdex"], otherRoutes: true),
        DrugEntry(generic: "fluocinolone acetonide", drugClass: "corticosteroid implant",
                  brands: ["Iluvien", "Yutiq", "Retisert"], aliases: ["fluocinolone"], otherRoutes: true),
        DrugEntry(generic: "triamcinolone acetonide", drugClass: "corticosteroid",
                  brands: ["Triesence", "Kenalog", "Xipere"], aliases: ["triamcinolone", "ivta"], otherRoutes: true),
        DrugEntry(generic: "pegcetacoplan", drugClass: "complement C3 inhibitor", brands: ["Syfovre"]),
        DrugEntry(generic: "avacincaptad pegol", drugClass: "complement C5 inhibitor", brands: ["Izervay"],
                  aliases: ["avacincaptad"]),
        DrugEntry(generic: "ocriplasmin", drugClass: "vitreolytic enzyme", brands: ["Jetrea"]),
        DrugEntry(generic: "ganciclovir", drugClass: "antiviral", brands: ["Vitrasert"], otherRoutes: true),
        DrugEntry(generic: "foscarnet", drugClass: "antiviral", brands: ["Foscavir"], otherRoutes: true),
        DrugEntry(generic: "vancomycin", drugClass: "antibiotic", aliases: ["vanc", "vanco"], misspellings: ["vancomicin"], otherRoutes: true),
        DrugEntry(generic: "ceftazidime", drugClass: "antibiotic", brands: ["Fortum"], aliases: ["ceftaz"], otherRoutes: true),
        DrugEntry(generic: "amikacin", drugClass: "antibiotic", otherRoutes: true),
        DrugEntry(generic: "amphotericin B", drugClass: "antifungal", aliases: ["amphotericin", "ampho b", "ampho"], otherRoutes: true),
        DrugEntry(generic: "voriconazole", drugClass: "antifungal", aliases: ["vori"], otherRoutes: true),
        DrugEntry(generic: "alteplase", drugClass: "fibrinolytic", brands: ["Actilyse"], aliases: ["tpa", "rtpa"],
                  otherRoutes: true),
        DrugEntry(generic: "clindamycin", drugClass: "antibiotic", otherRoutes: true),
        DrugEntry(generic: "methotrexate", drugClass: "antimetabolite", aliases: ["mtx"], otherRoutes: true),
        DrugEntry(generic: nil, drugClass: "anti-VEGF (drug not named)",
                  aliases: ["anti-vegf", "anti vegf", "antivegf"]),
        DrugEntry(generic: nil, drugClass: "intravitreal injection (drug not named)",
                  aliases: ["ivt", "ivi", "inj", "injection", "intravitreal injection", "intravitreal"]),
    ]

    /// How a typed name maps onto an entry.
    public struct Name: Sendable, Equatable {
        /// Lower-case, single-spaced key.
        public var key: String
        public var entryIndex: Int
        /// The brand this name denotes, if it is a brand name.
        public var brand: String?
        public var isBiosimilar: Bool
        /// The name as it is conventionally written ("Eylea", "aflibercept", "IVB"); for a
        /// misspelling, the name it stands for.
        public var display: String
        public var isMisspelling: Bool = false
    }

    public static let names: [Name] = {
        var out: [Name] = []
        for (i, e) in entries.enumerated() {
            if let g = e.generic { out.append(Name(key: g.lowercased(), entryIndex: i, brand: nil, isBiosimilar: false, display: g)) }
            for b in e.brands { out.append(Name(key: b.lowercased(), entryIndex: i, brand: b, isBiosimilar: false, display: b)) }
            for b in e.biosimilars { out.append(Name(key: b.lowercased(), entryIndex: i, brand: b, isBiosimilar: true, display: b)) }
            for a in e.aliases {
                let display = a.count <= 4 && !a.contains("-") ? a.uppercased() : a
                out.append(Name(key: a, entryIndex: i, brand: nil, isBiosimilar: false, display: display))
            }
            for m in e.misspellings {
                // A misspelling stands for the brand or generic it is closest to.
                let targets = e.brands + (e.generic.map { [$0] } ?? [])
                let target = targets.min { EditDistance.distance(m, $0.lowercased()) < EditDistance.distance(m, $1.lowercased()) } ?? m
                out.append(Name(key: m, entryIndex: i, brand: e.brands.contains(target) ? target : nil, isBiosimilar: false,
                                display: target, isMisspelling: true))
            }
        }
        return out
    }()

    public static let byKey: [String: Name] = {
        var d: [String: Name] = [:]
        for n in names where d[n.key] == nil { d[n.key] = n }
        return d
    }()

    /// The most words in any name, so lookups know how far to look ahead.
    public static let longestNameWords: Int = names.map { $0.key.split(separator: " ").count }.max() ?? 1
}
