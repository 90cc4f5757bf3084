/// What a finding means, typed per kind: the plugins make it, the checks, the hover and the patient
/// history read it with the compiler's help, and `FindingValue.json` (Rendering/FindingValueJSON.swift)
/// is its one projection to output.
public enum FindingValue: Sendable, Equatable {
    case drug(DrugValue)
    case acuity(AcuityValue)
    case pressure(PressureValue)
    case interval(IntervalValue)
    /// A configured field's answer: the words as typed, nothing normalised.
    case text

    /// The eye the value is for (nil for a review interval or a configured field).
    public var eye: Eye? {
        switch self {
        case .drug(let d): return d.eye
        case .acuity(let a): return a.eye
        case .pressure(let p): return p.eye
        case .interval, .text: return nil
        }
    }

    public var drug: DrugValue? { if case .drug(let d) = self { return d } else { return nil } }
    public var acuity: AcuityValue? { if case .acuity(let a) = self { return a } else { return nil } }
}

/// A drug answer: the lexicon entry it names, or, for a drug-like word the lexicon lacks, the closest
/// known name (for "did you mean").
public struct DrugValue: Sendable, Equatable {
    public var eye: Eye
    /// Nil when the typed words name no drug of `DrugLexicon`.
    public var match: DrugMatch?
    /// For an unknown drug: the closest generic or brand name, as displayed.
    public var closest: String?
    public init(eye: Eye, match: DrugMatch?, closest: String? = nil) {
        self.eye = eye
        self.match = match
        self.closest = closest
    }
    public var isKnown: Bool { match != nil }
}

/// An acuity answer: the parsed value at full precision, or nil when the words are no recognised notation.
public struct AcuityValue: Sendable, Equatable {
    public var eye: Eye
    public var reading: Acuity?
    public init(eye: Eye, reading: Acuity?) {
        self.eye = eye
        self.reading = reading
    }
    /// logMAR, unrounded (nil for near vision and unrecognised notations).
    public var logMAR: Double? { reading?.logMAR }
}

/// An intraocular pressure.
public struct PressureValue: Sendable, Equatable {
    public var eye: Eye
    public var mmHg: Double
    public init(eye: Eye, mmHg: Double) {
        self.eye = eye
        self.mmHg = mmHg
    }
}

/// A review interval: "4/52", "rev 4-6 weeks".
public struct IntervalValue: Sendable, Equatable {
    public enum Unit: String, Sendable {
        case days, weeks, months, years
        public var days: Double {
            switch self {
            case .days: return 1
            case .weeks: return 7
            case .months: return 30.44
            case .years: return 365.25
            }
        }
        func name(_ n: Double) -> String { n == 1 ? String(rawValue.dropLast()) : rawValue }
    }
    public var value: Double
    /// The upper end of a range ("4-6 weeks").
    public var upTo: Double?
    public var unit: Unit
    public init(value: Double, upTo: Double?, unit: Unit) {
        self.value = value
        self.upTo = upTo
        self.unit = unit
    }
    /// The interval (its lower end) in whole days.
    public var days: Double { (value * unit.days).rounded() }
}
