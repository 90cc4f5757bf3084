import JSON

/// The one JSON projection of typed finding values: the `normalized` member of `extract` records,
/// JSON summaries and anything else written out. Nothing reads these keys back; checks and features
/// read `Finding.value`.
extension Finding {
    /// `{"kind": "drug", "eye": "left", "known": true, "generic": ...}` and so on; null for a configured field.
    public var normalized: JSON { value.json }
}

extension FindingValue {
    public var json: JSON {
        var o = JSONObject()
        switch self {
        case .drug(let d):
            o["kind"] = "drug"
            o["eye"] = .string(d.eye.rawValue)
            if let match = d.match {
                o["known"] = true
                for (k, v) in match.json { o[k] = v }
            } else {
                o["known"] = false
                o["closest"] = d.closest.map(JSON.string) ?? .null
            }
        case .acuity(let a):
            o["kind"] = "acuity"
            o["eye"] = .string(a.eye.rawValue)
            guard let reading = a.reading else {
                o["notation"] = "unrecognised"
                break
            }
            for (k, v) in reading.json { o[k] = v }
            if let why = reading.implausibility { o["implausible"] = .string(why) }
        case .pressure(let p):
            o["kind"] = "iop"
            o["eye"] = .string(p.eye.rawValue)
            o["mmHg"] = Self.number(p.mmHg)
        case .interval(let i):
            o["kind"] = "interval"
            o["value"] = Self.number(i.value)
            if let upTo = i.upTo { o["upTo"] = Self.number(upTo) }
            o["unit"] = .string(i.unit.rawValue)
            o["days"] = Self.number(i.days)
        case .text:
            return .null
        }
        return .object(o)
    }

    /// A whole number as an integer, anything else as a double.
    static func number(_ x: Double) -> JSON { Int(exactly: x).map { .int($0) } ?? .double(x) }
}

extension DrugMatch {
    public var json: JSONObject {
        var o = JSONObject()
        o["generic"] = entry.generic.map(JSON.string) ?? .null
        o["brand"] = brand.map(JSON.string) ?? .null
        o["class"] = .string(entry.drugClass)
        o["biosimilar"] = .bool(name.isBiosimilar)
        o["matched"] = .string(name.display)
        o["spelling"] = .string(isCorrected ? "corrected" : "exact")
        if let dose { o["dose"] = .string(dose) }
        if let injectionNumber { o["injectionNumber"] = .int(injectionNumber) }
        return o
    }
}

extension Acuity {
    /// logMAR is written to two places; `logMAR` itself keeps full precision for the checks.
    public var json: JSONObject {
        var o = JSONObject()
        o["notation"] = .string(notation.rawValue)
        o["snellenMetric"] = snellenMetric.map(JSON.string) ?? .null
        o["snellenImperial"] = snellenImperial.map(JSON.string) ?? .null
        o["logMAR"] = logMAR.map { .double(($0 * 100).rounded() / 100) } ?? .null
        o["letters"] = letters.map(JSON.int) ?? .null
        o["decimal"] = decimal.map(JSON.double) ?? .null
        if let distance { o["distance"] = .string(distance) }
        o["plausible"] = .bool(implausibility == nil)
        return o
    }
}
