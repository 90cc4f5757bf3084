import ClinicCore
import JSON
import Testing
@testable import ClinicServer

/// An independent model of what an editor holds: code units in the negotiated encoding, lines split
/// at \r\n, \r and \n, as LSP defines positions.
struct ReferenceBuffer {
    var units: [UInt32]  // UTF-8 bytes, UTF-16 units or scalars, by encoding
    let encoding: PositionEncoding

    init(_ text: String, _ encoding: PositionEncoding) {
        self.encoding = encoding
        units = Self.encode(text, encoding)
    }

    static func encode(_ text: String, _ encoding: PositionEncoding) -> [UInt32] {
        switch encoding {
        case .utf8: return text.utf8.map(UInt32.init)
        case .utf16: return text.utf16.map(UInt32.init)
        case .utf32: return text.unicodeScalars.map(\.value)
        }
    }

    var text: String {
        switch encoding {
        case .utf8: return String(decoding: units.map { UInt8($0) }, as: UTF8.self)
        case .utf16: return String(decoding: units.map { UInt16($0) }, as: UTF16.self)
        case .utf32: return String(String.UnicodeScalarView(units.map { Unicode.Scalar($0)! }))
        }
    }

    /// (start, content end) of each line in units.
    var lines: [(start: Int, end: Int)] {
        var out: [(Int, Int)] = []
        var start = 0, i = 0
        while i < units.count {
            if units[i] == 13 || units[i] == 10 {
                let end = i
                if units[i] == 13, i + 1 < units.count, units[i + 1] == 10 { i += 1 }
                out.append((start, end))
                start = i + 1
            }
            i += 1
        }
        out.append((start, units.count))
        return out
    }

    func offset(_ line: Int, _ character: Int) -> Int {
        let l = lines[line]
        return l.start + min(character, l.end - l.start)
    }

    /// Whether a unit offset falls between two code units of one scalar.
    func splitsScalar(_ offset: Int) -> Bool {
        guard offset < units.count else { return false }
        switch encoding {
        case .utf8: return units[offset] & 0xC0 == 0x80
        case .utf16: return (0xDC00...0xDFFF).contains(units[offset])
        case .utf32: return false
        }
    }

    mutating func replace(_ a: Int, _ b: Int, _ text: String) {
        units.replaceSubrange(a..<b, with: Self.encode(text, encoding))
    }
}

struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct TextSyncTests {
    static let pieces = ["a", "eylea ", "R) 6/9", "\n", "\r\n", "\n\n", "é", "ñ", "😀", "👍🏽", "𝔼", "中文", " ", "l)", "\t", "ß"]

    func replay(_ encoding: PositionEncoding, seed: UInt64, edits: Int) {
        var rng = SeededRandom(state: seed)
        var reference = ReferenceBuffer("R) 6/9 😀\r\nL) eylea\n\nrev 4/52 é", encoding)
        var document = TextDocument(uri: "file:///r", version: 0, text: reference.text)
        for step in 1...edits {
            let lines = reference.lines
            func randomPosition() -> (Int, Int) {
                while true {
                    let line = Int.random(in: 0..<lines.count, using: &rng)
                    let width = lines[line].end - lines[line].start
                    let character = Int.random(in: 0...(width + 2), using: &rng)  // sometimes past the end
                    if !reference.splitsScalar(reference.offset(line, character)) { return (line, character) }
                }
            }
            var p = randomPosition(), q = randomPosition()
            if reference.offset(p.0, p.1) > reference.offset(q.0, q.1) { swap(&p, &q) }
            if Int.random(in: 0..<4, using: &rng) == 0 { q = p }
            let count = Int.random(in: 0...3, using: &rng)
            let insert = (0..<count).map { _ in Self.pieces.randomElement(using: &rng)! }.joined()
            let isFull = Int.random(in: 0..<200, using: &rng) == 0
            if isFull {
                reference = ReferenceBuffer(insert + "full replace", encoding)
                document.apply([.init(range: nil, text: reference.text)], version: step, encoding: encoding)
            } else {
                reference.replace(reference.offset(p.0, p.1), reference.offset(q.0, q.1), insert)
                document.apply([.init(range: (TextPosition(line: p.0, character: p.1), TextPosition(line: q.0, character: q.1)),
                                      text: insert)], version: step, encoding: encoding)
            }
            if document.text != reference.text || document.lines.lineStarts != LineIndex(document.text).lineStarts {
                Issue.record("diverged at edit \(step) (\(encoding.rawValue), seed \(seed))")
                return
            }
        }
        #expect(document.version == edits)
        #expect(document.lines.lineCount == reference.lines.count)
    }

    @Test(arguments: [PositionEncoding.utf16, .utf8, .utf32])
    func thousandsOfRandomEditsKeepTheCopyEqualToTheClients(_ encoding: PositionEncoding) {
        for seed: UInt64 in 1...4 { replay(encoding, seed: seed, edits: 1500) }
    }

    /// Random range changes for `reference`, each against the text the ones before it left, as one
    /// `didChange` carries them; `reference` ends as the client's text.
    static func randomChanges(_ count: Int, _ reference: inout ReferenceBuffer, seed: UInt64) -> [TextDocument.Change] {
        var rng = SeededRandom(state: seed)
        var changes: [TextDocument.Change] = []
        for _ in 0..<count {
            let lines = reference.lines
            let line = Int.random(in: 0..<lines.count, using: &rng)
            let width = lines[line].end - lines[line].start
            var a = Int.random(in: 0...width, using: &rng)
            var b = min(width, a + Int.random(in: 0...3, using: &rng))
            while a > 0, reference.splitsScalar(lines[line].start + a) { a -= 1 }
            while b > a, reference.splitsScalar(lines[line].start + b) { b -= 1 }
            let insert = (0..<Int.random(in: 0...2, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            reference.replace(lines[line].start + a, lines[line].start + b, insert)
            changes.append(.init(range: (TextPosition(line: line, character: a), TextPosition(line: line, character: b)),
                                 text: insert))
        }
        return changes
    }

    static func seventeenKilobytes() -> String {
        (0..<240).map { "\($0 + 1)/03/24 R) eylea 2mg 😀 VA R 6/9 L 6/12 iop 14" + ($0 % 3 == 0 ? "\n\n" : "\n") }.joined()
    }

    @Test(arguments: [PositionEncoding.utf16, .utf8])
    func tenThousandChangesInOneDidChangeGiveTheClientsText(_ encoding: PositionEncoding) {
        var reference = ReferenceBuffer(Self.seventeenKilobytes(), encoding)
        var document = TextDocument(uri: "file:///big", version: 1, text: reference.text)
        let changes = Self.randomChanges(10_000, &reference, seed: 12)
        document.apply(changes, version: 2, encoding: encoding)
        #expect(document.text == reference.text)
        #expect(document.lines.lineStarts == LineIndex(reference.text).lineStarts)
        #expect(document.edits(since: 1)?.count == 10_000)
    }

    @Test func outOfRangePositionsAreClamped() {
        var d = TextDocument(uri: "u", version: 0, text: "ab\ncd")
        d.apply([.init(range: (TextPosition(line: 0, character: 99), TextPosition(line: 0, character: 100)), text: "X")],
                version: 1, encoding: .utf16)
        #expect(d.text == "abX\ncd")
        d.apply([.init(range: (TextPosition(line: 50, character: 0), TextPosition(line: 60, character: 3)), text: "!")],
                version: 2, encoding: .utf16)
        #expect(d.text == "abX\ncd!")
        d.apply([.init(range: (TextPosition(line: -3, character: -1), TextPosition(line: 0, character: 1)), text: "")],
                version: 3, encoding: .utf16)
        #expect(d.text == "bX\ncd!")
        // An end before the start is read as the same span.
        d.apply([.init(range: (TextPosition(line: 1, character: 2), TextPosition(line: 1, character: 0)), text: "Z")],
                version: 4, encoding: .utf16)
        #expect(d.text == "bX\nZ!")
    }

    @Test func astralCharactersCountTwoUTF16UnitsAndFourUTF8Bytes() {
        var d = TextDocument(uri: "u", version: 0, text: "😀x")
        d.apply([.init(range: (TextPosition(line: 0, character: 2), TextPosition(line: 0, character: 3)), text: "y")],
                version: 1, encoding: .utf16)
        #expect(d.text == "😀y")
        d.apply([.init(range: (TextPosition(line: 0, character: 4), TextPosition(line: 0, character: 5)), text: "z")],
                version: 2, encoding: .utf8)
        #expect(d.text == "😀z")
    }

    @Test func serverAppliesIncrementalAndFullChangesOverTheWire() throws {
        let client = TestClient()
        _ = try client.initialize(.obj(["general": .obj(["positionEncodings": ["utf-8"]])]))
        client.open("file:///w.clinic", "😀 eylea")
        client.change("file:///w.clinic", version: 2, [
            .obj(["range": range(0, 5, 0, 10), "text": "lucentis"]),
            .obj(["range": range(0, 0, 0, 4), "text": ""]),
        ])
        let diags = try client.diagnostics("file:///w.clinic", version: 2)
        #expect(diags.first?["message"] == "Drug: Lucentis (ranibizumab)")
        #expect(diags.first?["range"] == range(0, 1, 0, 9))
        client.change("file:///w.clinic", version: 3, [.obj(["text": "\n\nR eylea"])])
        let full = try client.diagnostics("file:///w.clinic", version: 3)
        #expect(full.first?["range"] == range(2, 2, 2, 7))
    }

    @Test func rangesMoveThroughEditsAndTouchedOnesAreDropped() {
        typealias E = TextDocument.ScalarEdit
        #expect(TextDocument.map(10..<15, through: [E(offset: 2, removed: 0, inserted: 3)]) == 13..<18)
        #expect(TextDocument.map(10..<15, through: [E(offset: 20, removed: 4, inserted: 0)]) == 10..<15)
        #expect(TextDocument.map(10..<15, through: [E(offset: 15, removed: 0, inserted: 1)]) == nil, "typing right after it")
        #expect(TextDocument.map(10..<15, through: [E(offset: 12, removed: 1, inserted: 1)]) == nil)
        #expect(TextDocument.map(10..<15, through: [E(offset: 0, removed: 9, inserted: 0), E(offset: 0, removed: 0, inserted: 2)]) == 3..<8)
    }

    @Test func editHistoryIsKnownOnlyWhenComplete() {
        var d = TextDocument(uri: "u", version: 1, text: "abc")
        d.apply([.init(range: (TextPosition(line: 0, character: 1), TextPosition(line: 0, character: 2)), text: "XY")],
                version: 2, encoding: .utf16)
        #expect(d.edits(since: 1) == [.init(offset: 1, removed: 1, inserted: 2)])
        #expect(d.edits(since: 2) == [])
        d.forgetEdits(through: 2)
        #expect(d.edits(since: 1) == nil)
        d.apply([.init(range: nil, text: "new")], version: 3, encoding: .utf16)
        #expect(d.edits(since: 2) == nil, "a full replacement cannot be mapped")
    }
}
