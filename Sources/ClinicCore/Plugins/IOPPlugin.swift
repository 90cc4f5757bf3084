/// `iop.right` / `iop.left`: intraocular pressures after "IOP" in any of the usual layouts:
/// "IOP 14/16" (right/left), "IOP R 14 L 16", "IOP 14 OD 16 OS", "IOPs RE 14, LE 16 mmHg", "IOP 15 OU".
public struct IOPPlugin: ClinicPlugin {
    public static let descriptor = PluginDescriptor(
        id: "iop",
        summary: "Intraocular pressure of each eye (mmHg), from \"IOP 14/16\", \"IOP R 14 L 16\" and similar.",
        options: [maxPressureOption.option],
        make: { settings, _ in IOPPlugin(maxPressure: settings[maxPressureOption]) })

    static let maxPressureOption = NumberOption("maxPressure", 10...150, default: 80,
        help: "Readings above this many mmHg are not taken as pressures.")

    static let triggers: Set<String> = ["iop", "iops", "pressure", "pressures", "tonometry"]
    static let units: Set<String> = ["mmhg", "mm", "hg"]

    public let fields = [
        FieldSpec(id: "iop.right", label: "Right eye IOP"),
        FieldSpec(id: "iop.left", label: "Left eye IOP"),
    ]
    let maxPressure: Double

    public func analyze(context: NoteContext) -> PluginOutput {
        let t = context.tokens
        var found: [Eye: ShorthandToken] = [:]
        for i in t.indices where t[i].word.map(Self.triggers.contains) == true {
            for (eye, token) in readings(t, after: i) where found[eye] == nil { found[eye] = token }
            if found.count == 2 { break }
        }
        var out = PluginOutput()
        for (field, eye) in zip(fields, Eye.allCases) {
            guard let token = found[eye], let mmHg = token.number else { continue }
            let text = context.text[token.range]
            out.findings.append(Finding(field: field.id, label: field.label, range: token.range, text: text,
                                        value: .pressure(PressureValue(eye: eye, mmHg: mmHg)), summary: "\(text) mmHg",
                                        hint: "\(eye.letter) IOP", score: 1))
        }
        return out
    }

    /// The pressures that follow the trigger at `i`, on the same line.
    func readings(_ t: [ShorthandToken], after i: Int) -> [(Eye, ShorthandToken)] {
        var j = skip(t, from: i + 1, over: [":", "=", "-"])
        // "14/16": right then left.
        if isPressure(t, j), j + 2 < t.count, t[j + 1].isSymbol("/"), isPressure(t, j + 2),
           !(j + 3 < t.count && t[j + 3].isSymbol("/")) {
            return [(.right, t[j]), (.left, t[j + 2])]
        }
        var out: [(Eye, ShorthandToken)] = []
        for _ in 0..<3 {
            if let (lat, next) = LateralityMarker.marker(in: t, at: j) {
                let k = skip(t, from: next, over: [":", "="])
                guard isPressure(t, k) else { break }
                out += lat.eyes.map { ($0, t[k]) }
                j = k + 1
            } else if isPressure(t, j) {
                let k = skipUnits(t, from: j + 1)
                guard let (lat, next) = LateralityMarker.marker(in: t, at: k) else { break }
                out += lat.eyes.map { ($0, t[j]) }
                j = next
            } else {
                break
            }
            j = skip(t, from: skipUnits(t, from: j), over: [",", ";", "/", "&"])
            if j < t.count, t[j].word == "and" { j += 1 }
        }
        return out
    }

    func isPressure(_ t: [ShorthandToken], _ k: Int) -> Bool {
        guard k < t.count, let n = t[k].number else { return false }
        return n > 0 && n <= maxPressure
    }

    func skip(_ t: [ShorthandToken], from start: Int, over symbols: Set<Unicode.Scalar>) -> Int {
        var j = start
        while j < t.count, case .symbol(let s) = t[j].kind, symbols.contains(s) { j += 1 }
        return j
    }

    func skipUnits(_ t: [ShorthandToken], from start: Int) -> Int {
        var j = start
        while j < t.count, let w = t[j].word, Self.units.contains(w) { j += 1 }
        return j
    }
}
