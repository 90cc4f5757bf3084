import Testing
@testable import QAEngine

@Suite struct SafeTensorsTests {
    /// A safetensors file from a header text and a data buffer.
    static func file(header: String, data: [UInt8], declaredLength: UInt64? = nil) -> [UInt8] {
        let h = Array(header.utf8)
        let n = declaredLength ?? UInt64(h.count)
        return (0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * UInt64($0))) } + h + data
    }

    static func floats(_ values: [Float]) -> [UInt8] {
        values.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * UInt32($0))) } }
    }

    static let twoTensors = #"{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[3],"data_offsets":[16,28]}}"#

    func expectInvalid(_ bytes: [UInt8], _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("model.safetensors", bytes)
        do {
            _ = try SafeTensorsFile(path: path)
            Issue.record("accepted an invalid file (expected \(fragment))", sourceLocation: sourceLocation)
        } catch let error as QAEngineError {
            guard case .invalidSafetensors(let p, let reason) = error else {
                Issue.record("wrong error \(error)", sourceLocation: sourceLocation)
                return
            }
            #expect(p == path, sourceLocation: sourceLocation)
            #expect(reason.contains(fragment), "\(reason)", sourceLocation: sourceLocation)
            #expect(error.description.contains(path), sourceLocation: sourceLocation)
        }
    }

    @Test func readsValidFile() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("ok.safetensors", Self.file(header: Self.twoTensors, data: Self.floats([1, 2, 3, 4, -1, 0.5, 1e-3])))
        let st = try SafeTensorsFile(path: path)
        #expect(st.metadata == ["format": "pt"])
        #expect(st.tensors["a"]?.shape == [2, 2])
        #expect(try st.read("a") == [1, 2, 3, 4])
        #expect(try st.read("b") == [-1, 0.5, 1e-3])
    }

    @Test func convertsHalfAndBFloat16() throws {
        // F16: 1, -2, 65504 (max), smallest subnormal, +inf. BF16: 1, -0.5, 3.140625.
        let f16: [UInt16] = [0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00]
        let bf16: [UInt16] = [0x3F80, 0xBF00, 0x4049]
        let data = (f16 + bf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let header = #"{"h":{"dtype":"F16","shape":[5],"data_offsets":[0,10]},"b":{"dtype":"BF16","shape":[3],"data_offsets":[10,16]}}"#
        let dir = try TemporaryDirectory()
        let st = try SafeTensorsFile(path: try dir.write("half.safetensors", Self.file(header: header, data: data)))
        #expect(try st.read("h") == [1, -2, 65504, 0x1p-24, .infinity])
        #expect(try st.read("b") == [1, -0.5, 3.140625])
    }

    @Test func rejectsTruncatedData() throws {
        let bytes = Self.file(header: Self.twoTensors, data: Self.floats([1, 2, 3, 4, -1, 0.5, 1e-3]))
        try expectInvalid(Array(bytes.dropLast(3)), "tensors end at byte")
    }

    @Test func rejectsTrailingBytes() throws {
        try expectInvalid(Self.file(header: Self.twoTensors, data: Self.floats([1, 2, 3, 4, -1, 0.5, 1e-3, 9])), "tensors end at byte")
    }

    @Test func rejectsFileShorterThanHeaderLength() throws {
        try expectInvalid([1, 2, 3], "too short")
    }

    @Test func rejectsHeaderLongerThanFile() throws {
        try expectInvalid(Self.file(header: "{}", data: [], declaredLength: 4096), "runs past the end")
    }

    @Test func rejectsHugeHeader() throws {
        try expectInvalid(Self.file(header: "{}", data: [], declaredLength: 200_000_000), "exceeds")
    }

    @Test func rejectsGapBetweenTensors() throws {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]}}"#
        try expectInvalid(Self.file(header: header, data: Self.floats([1, 2, 3, 4])), "gap before tensor b")
    }

    @Test func rejectsOverlappingTensors() throws {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        try expectInvalid(Self.file(header: header, data: Self.floats([1, 2, 3])), "overlaps")
    }

    @Test func rejectsSizeThatDisagreesWithShape() throws {
        let header = #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#
        try expectInvalid(Self.file(header: header, data: Self.floats([1, 2])), "needs 12")
    }

    @Test func rejectsUnknownDType() throws {
        let header = #"{"a":{"dtype":"Q4","shape":[2],"data_offsets":[0,8]}}"#
        try expectInvalid(Self.file(header: header, data: Self.floats([1, 2])), "unknown dtype Q4")
    }

    @Test func rejectsMalformedHeaders() throws {
        try expectInvalid(Self.file(header: "{not json", data: []), "not valid JSON")
        try expectInvalid(Self.file(header: "[1,2]", data: []), "expected an object")
        try expectInvalid(Self.file(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}}"#, data: Self.floats([1])), "data_offsets")
        try expectInvalid(Self.file(header: #"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: Self.floats([1])), "negative dimension")
        try expectInvalid(Self.file(header: #"{"a":{"shape":[1],"data_offsets":[0,4]}}"#, data: Self.floats([1])), "a.dtype: missing string")
        try expectInvalid(Self.file(header: #"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]}}"#, data: Self.floats([1])), "overflows")
    }

    @Test func refusesToConvertIntegerTensors() throws {
        let header = #"{"ids":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#
        let dir = try TemporaryDirectory()
        let st = try SafeTensorsFile(path: try dir.write("i.safetensors", Self.file(header: header, data: [UInt8](repeating: 0, count: 8))))
        #expect(throws: QAEngineError.invalidWeights(path: st.path, reason: "tensor ids is I64; only F32, F16 and BF16 weights are supported")) {
            try st.read("ids")
        }
    }

    @Test func rejectsDirectoriesAndMissingFiles() throws {
        let dir = try TemporaryDirectory()
        #expect(throws: QAEngineError.unreadableFile(path: dir.path, reason: "not a regular file")) {
            try SafeTensorsFile(path: dir.path)
        }
        let missing = dir.path + "/absent.safetensors"
        #expect(throws: QAEngineError.unreadableFile(path: missing, reason: "No such file or directory")) {
            try SafeTensorsFile(path: missing)
        }
    }
}
