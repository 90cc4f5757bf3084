import JSON
import Testing
@testable import QAEngine

/// Every code point, not just a sample: the normaliser and pre-tokeniser must treat each one as tokenizers does
/// (fingerprinted per block by training/make_parity_fixtures.py).
@Suite struct UnicodeParityTests {
    struct Block: CustomTestStringConvertible, Sendable {
        var first: UInt32
        var count: UInt32
        var expected: UInt64
        var testDescription: String { "U+\(String(first, radix: 16, uppercase: true))..U+\(String(first + count - 1, radix: 16, uppercase: true))" }
    }

    static func blocks() throws -> [Block] {
        let fixture = JSONReader(try Fixtures.json("unicode.json"))
        let size = UInt32(try fixture["block"].int())
        return try fixture["fnv1a64"].array().enumerated().map { i, hash in
            Block(first: UInt32(i) * size, count: size, expected: UInt64(try hash.string(), radix: 16)!)
        }
    }

    @Test func coversEveryCodePoint() throws {
        let blocks = try Self.blocks()
        #expect(blocks.last.map { $0.first + $0.count } == 0x110000)
    }

    @Test(arguments: try blocks())
    func blockMatchesTokenizers(_ block: Block) throws {
        let tokenizer = try TokenizerParityTests.tokenizer.get()
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ value: UInt32) { hash = (hash ^ UInt64(value)) &* 0x100_0000_01B3 }
        var normalized = NormalizedText()
        for cp in block.first..<(block.first + block.count) {
            guard let scalar = Unicode.Scalar(cp) else { continue }
            normalized.removeAll()
            [scalar].withUnsafeBufferPointer { tokenizer.normalizer.normalize($0, range: 0..<1, into: &normalized) }
            let words = (tokenizer.tokenize("a" + String(scalar) + "a").last?.word ?? -1) + 1
            mix(cp)
            mix(UInt32(words))
            mix(UInt32(normalized.scalars.count))
            for s in normalized.scalars { mix(s.value) }
        }
        #expect(hash == block.expected)
    }
}
