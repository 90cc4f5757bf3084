import ClinicCore
import JSON
import Testing

/// A test text with its ranges and points marked, so no test counts columns by hand: `MarkedText("R) ‹eylea›
/// given‹@end›")` is the text "R) eylea given" with the LSP range of "eylea" (`self["eylea"]`) and the position
/// after "given" (`position("end")`). Ranges nest. Characters are counted in `encoding` (UTF-16 by default, as
/// LSP); lines end at "\n", "\r\n" or "\r".
struct MarkedText {
    let text: String
    private var ranges: [(text: String, range: JSON)] = []
    private var points: [String: JSON] = [:]

    init(_ source: String, encoding: PositionEncoding = .utf16) {
        var text = String.UnicodeScalarView()
        var open: [(line: Int, character: Int, from: Int)] = []
        var name: String?
        var line = 0, character = 0
        let scalars = Array(source.unicodeScalars)
        for (k, s) in scalars.enumerated() {
            if var n = name {
                if s == "@", n.isEmpty, scalars[k - 1] == "‹" { continue }
                if s == "›" {
                    points[n] = ClinicServerTests.position(line, character)
                    name = nil
                } else {
                    n.unicodeScalars.append(s)
                    name = n
                }
                continue
            }
            switch s {
            case "‹" where scalars.indices.contains(k + 1) && scalars[k + 1] == "@":
                name = ""
            case "‹":
                open.append((line, character, text.count))
            case "›":
                guard let o = open.popLast() else { continue }
                ranges.append((String(String.UnicodeScalarView(text.dropFirst(o.from))),
                               range(o.line, o.character, line, character)))
            default:
                text.append(s)
                if s == "\n" || (s == "\r" && !(scalars.indices.contains(k + 1) && scalars[k + 1] == "\n")) {
                    line += 1
                    character = 0
                } else if s != "\r" {
                    character += encoding == .utf8 ? s.utf8.count : encoding == .utf16 ? s.utf16.count : 1
                }
            }
        }
        self.text = String(text)
    }

    /// The range marked around `text` (the first, when several are); null when none is.
    subscript(_ text: String) -> JSON {
        ranges.first { $0.text == text }?.range ?? .null
    }

    /// The position marked `‹@name›`; null when none is.
    func position(_ name: String) -> JSON {
        points[name] ?? .null
    }

    /// The empty range at `‹@name›`, where an inserting edit goes.
    func insertion(_ name: String) -> JSON {
        let p = position(name)
        return .obj(["start": p, "end": p])
    }
}

@Suite struct MarkedTextTests {
    @Test func positionsCountTheEncodingsUnitsAndEveryLineBreak() {
        let m = MarkedText("a😀‹b›\r\n‹@p›c\r‹d‹e››")
        #expect(m.text == "a😀b\r\nc\rde")
        #expect(m["b"] == range(0, 3, 0, 4))
        #expect(m.position("p") == position(1, 0))
        #expect(m["de"] == range(2, 0, 2, 2) && m["e"] == range(2, 1, 2, 2))
        #expect(MarkedText("a😀‹b›", encoding: .utf8)["b"] == range(0, 5, 0, 6))
        #expect(m["missing"].isNull && m.position("missing").isNull)
    }
}
