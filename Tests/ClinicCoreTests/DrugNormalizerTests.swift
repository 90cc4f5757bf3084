import ClinicCore
import JSON
import Testing

@Suite struct DrugNormalizerTests {
    @Test(arguments: [
        ("eylea", "aflibercept", "Eylea"), ("Eylea 2mg", "aflibercept", "Eylea"), ("eylea 8mg", "aflibercept", "Eylea HD"),
        ("Eylea HD", "aflibercept", "Eylea HD"), ("Pavblu", "aflibercept", "Pavblu"), ("yesafili", "aflibercept", "Yesafili"),
        ("lucentis 0.5mg", "ranibizumab", "Lucentis"), ("Susvimo", "ranibizumab", "Susvimo"), ("Byooviz", "ranibizumab", "Byooviz"),
        ("avastin", "bevacizumab", "Avastin"), ("Vabysmo", "faricimab", "Vabysmo"), ("beovu", "brolucizumab", "Beovu"),
        ("Macugen", "pegaptanib", "Macugen"), ("ozurdex", "dexamethasone", "Ozurdex"), ("Iluvien", "fluocinolone acetonide", "Iluvien"),
        ("Yutiq", "fluocinolone acetonide", "Yutiq"), ("Triesence", "triamcinolone acetonide", "Triesence"),
        ("Syfovre", "pegcetacoplan", "Syfovre"), ("Izervay", "avacincaptad pegol", "Izervay"), ("Jetrea", "ocriplasmin", "Jetrea"),
    ])
    func brands(typed: String, generic: String, brand: String) throws {
        let m = try #require(DrugNormalizer.match(typed))
        #expect(m.entry.generic == generic)
        #expect(m.brand == brand)
        #expect(m.distance == 0)
    }

    @Test(arguments: [
        ("aflibercept", "aflibercept"), ("avacincaptad pegol", "avacincaptad pegol"), ("IVB", "bevacizumab"), ("IVR", "ranibizumab"),
        ("IVTA", "triamcinolone acetonide"), ("dex implant", "dexamethasone"), ("ganciclovir", "ganciclovir"), ("foscarnet", "foscarnet"),
        ("vancomycin", "vancomycin"), ("ceftazidime", "ceftazidime"), ("amikacin", "amikacin"), ("amphotericin B", "amphotericin B"),
        ("voriconazole", "voriconazole"), ("methotrexate", "methotrexate"), ("MTX", "methotrexate"),
    ])
    func genericsAndShorthand(typed: String, generic: String) throws {
        let m = try #require(DrugNormalizer.match(typed))
        #expect(m.entry.generic == generic)
    }

    @Test(arguments: [("eyleaa", "Eylea"), ("lucentiz", "Lucentis"), ("vabysmmo", "Vabysmo"), ("Ozurdexx", "Ozurdex"),
                      ("avasitn", "Avastin"), ("iluvein", "Iluvien")])
    func misspellingsWithinAFewEdits(typed: String, display: String) throws {
        let m = try #require(DrugNormalizer.match(typed))
        #expect(m.name.display == display)
        #expect(m.distance > 0)
        #expect(m.json["spelling"] == "corrected")
    }

    @Test func misspelledGenericIsFound() throws {
        let m = try #require(DrugNormalizer.match("ranibuzumab"))
        #expect(m.entry.generic == "ranibizumab")
        #expect(m.summary == "ranibizumab")
    }

    @Test func genericWordsHaveAClassButNoGeneric() throws {
        for typed in ["anti-VEGF", "anti VEGF", "IVT", "inj"] {
            let m = try #require(DrugNormalizer.match(typed), "\(typed)")
            #expect(m.entry.generic == nil)
        }
        #expect(DrugNormalizer.match("anti-VEGF")?.summary == "anti-VEGF (drug not named)")
    }

    @Test func doseAndInjectionNumber() throws {
        let m = try #require(DrugNormalizer.match("R) Lucentis 0.5 mg #3"))
        #expect(m.dose == "0.5mg")
        #expect(m.injectionNumber == 3)
        #expect(m.typed == "Lucentis")
        #expect(m.summary == "Lucentis (ranibizumab)")
        #expect(DrugNormalizer.match("eylea no. 7")?.injectionNumber == 7)
        #expect(DrugNormalizer.match("ozurdex 700 micrograms")?.dose == "700mcg")
    }

    @Test func unknownWordsDoNotMatch() {
        for typed in ["vabs", "given", "xyzzy", "6/9", "", "plan"] {
            #expect(DrugNormalizer.match(typed) == nil, "\(typed)")
        }
    }

    @Test func closestNamePrefersNearestBrand() throws {
        let c = try #require(DrugNormalizer.closestName(to: "vabs"))
        #expect(c.name.display == "Vabysmo")
        #expect(DrugNormalizer.closestName(to: "eyleaa x")?.name.display == "Eylea")
    }

    @Test func summaryNamesBrandAndGeneric() {
        #expect(DrugNormalizer.match("eylea")?.summary == "Eylea (aflibercept)")
        #expect(DrugNormalizer.match("bevacizumab")?.summary == "bevacizumab")
    }

    @Test func editDistanceCountsTranspositionsOnce() {
        #expect(EditDistance.distance("eyela", "eylea") == 1)
        #expect(EditDistance.distance("kitten", "sitting") == 3)
        #expect(EditDistance.distance("", "abc") == 3)
        #expect(EditDistance.distance("abcdef", "uvwxyz", limit: 2) == 3)
    }
}

@Suite struct DrugMisspellingListTests {
    @Test(arguments: [("eylia", "Eylea", "Eylea"), ("ranibuzumab", "ranibizumab", nil), ("vabsymo", "Vabysmo", "Vabysmo"),
                      ("avastine", "Avastin", "Avastin")] as [(String, String, String?)])
    func listedMisspellingsStandForTheirName(typed: String, display: String, brand: String?) throws {
        let m = try #require(DrugNormalizer.match(typed))
        #expect(m.name.display == display)
        #expect(m.brand == brand)
        #expect(m.isCorrected)
        #expect(m.json["spelling"] == "corrected")
    }

    @Test func everyListedMisspellingIsUniqueAndNotARealName() {
        let real = Set(DrugLexicon.names.filter { !$0.isMisspelling }.map(\.key))
        for n in DrugLexicon.names where n.isMisspelling { #expect(!real.contains(n.key), "\(n.key)") }
    }
}
