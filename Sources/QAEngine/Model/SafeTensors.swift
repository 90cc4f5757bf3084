import CInt8Kernels
import JSON

/// A safetensors file, memory-mapped and validated as the reference implementation does: an 8-byte little-endian
/// header length N under 100 MB, N bytes of JSON, then tensors laid end to end from offset 0 without gaps,
/// each exactly shape x dtype bytes long, the last one ending at the end of the file.
public final class SafeTensorsFile: @unchecked Sendable {
    public enum DType: String, Sendable, CaseIterable {
        case bool = "BOOL", u8 = "U8", i8 = "I8", f8e5m2 = "F8_E5M2", f8e4m3 = "F8_E4M3"
        case i16 = "I16", u16 = "U16", f16 = "F16", bf16 = "BF16"
        case i32 = "I32", u32 = "U32", f32 = "F32", f64 = "F64", i64 = "I64", u64 = "U64"

        public var size: Int {
            switch self {
            case .bool, .u8, .i8, .f8e5m2, .f8e4m3: return 1
            case .i16, .u16, .f16, .bf16: return 2
            case .i32, .u32, .f32: return 4
            case .f64, .i64, .u64: return 8
            }
        }
    }

    public struct TensorInfo: Sendable, Equatable {
        public var name: String
        public var dtype: DType
        public var shape: [Int]
        /// Byte range inside the data buffer.
        public var dataOffsets: Range<Int>
        public var elementCount: Int { shape.reduce(1, *) }
    }

    public static let maxHeaderLength = 100_000_000

    public let path: String
    public let tensors: [String: TensorInfo]
    public let metadata: [String: String]
    private let file: MappedFile
    private let dataStart: Int

    public init(path: String) throws {
        let file = try MappedFile(path: path)
        self.path = path
        self.file = file
        func invalid(_ reason: String) -> QAEngineError { .invalidSafetensors(path: path, reason: reason) }

        let size = file.bytes.count
        guard size >= 8 else { throw invalid("the file is \(size) bytes, too short for the 8-byte header length") }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(file.bytes[i]) << (8 * UInt64(i)) }
        guard n <= UInt64(Self.maxHeaderLength) else {
            throw invalid("header length \(n) exceeds the \(Self.maxHeaderLength)-byte limit")
        }
        let headerLength = Int(n)
        guard 8 + headerLength <= size else {
            throw invalid("header length \(headerLength) runs past the end of the \(size)-byte file (truncated?)")
        }
        let json: JSON
        do {
            json = try JSON.parse(bytes: UnsafeRawBufferPointer(rebasing: file.bytes[8..<(8 + headerLength)]))
        } catch let error as JSONParseError {
            throw invalid("header is not valid JSON: \(error.description)")
        }
        guard case .object(let entries) = json else { throw invalid("header is a JSON \(json.typeName), expected an object") }

        var tensors: [String: TensorInfo] = [:]
        var metadata: [String: String] = [:]
        do {
            for (name, value) in entries {
                let entry = JSONReader(value, path: name)
                if name == "__metadata__" {
                    for (key, value) in try entry.object() { metadata[key] = try value.string() }
                    continue
                }
                let dtypeName = try entry["dtype"].string()
                guard let dtype = DType(rawValue: dtypeName) else {
                    throw invalid("tensor \(name) has unknown dtype \(dtypeName)")
                }
                let shape = try entry["shape"].array().map { dim -> Int in
                    let d = try dim.int()
                    guard d >= 0 else { throw invalid("tensor \(name) has negative dimension \(d)") }
                    return d
                }
                let offsets = try entry["data_offsets"].array().map { try $0.int() }
                guard offsets.count == 2, offsets[0] >= 0, offsets[1] >= offsets[0] else {
                    throw invalid("tensor \(name) has data_offsets \(offsets), expected [begin, end] with 0 <= begin <= end")
                }
                tensors[name] = TensorInfo(name: name, dtype: dtype, shape: shape, dataOffsets: offsets[0]..<offsets[1])
            }
        } catch let error as JSONTypeError {
            throw invalid("header: \(error.description)")
        }

        var expectedBegin = 0
        for info in tensors.values.sorted(by: { ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound) < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound) }) {
            guard info.dataOffsets.lowerBound == expectedBegin else {
                throw invalid(info.dataOffsets.lowerBound > expectedBegin
                    ? "gap before tensor \(info.name): it begins at \(info.dataOffsets.lowerBound), the previous tensor ends at \(expectedBegin)"
                    : "tensor \(info.name) at \(info.dataOffsets.lowerBound) overlaps the previous tensor, which ends at \(expectedBegin)")
            }
            var bytes = info.dtype.size
            for d in info.shape {
                let (product, overflow) = bytes.multipliedReportingOverflow(by: d)
                guard !overflow else { throw invalid("tensor \(info.name) shape \(info.shape) overflows") }
                bytes = product
            }
            guard info.dataOffsets.count == bytes else {
                throw invalid("tensor \(info.name) has \(info.dataOffsets.count) bytes, but shape \(info.shape) of \(info.dtype.rawValue) needs \(bytes)")
            }
            expectedBegin = info.dataOffsets.upperBound
        }
        // Compared as a difference: offsets near Int.max must not overflow the sum.
        guard expectedBegin == size - 8 - headerLength else {
            throw invalid("tensors end at byte \(expectedBegin) of the data, but the file has \(size - 8 - headerLength) bytes of data")
        }
        self.tensors = tensors
        self.metadata = metadata
        dataStart = 8 + headerLength
    }

    /// Drops the resident pages of every tensor but `kept`, once their values have been copied or converted.
    func dropPages(keeping kept: Set<String>) {
        for (name, info) in tensors where !kept.contains(name) {
            file.dropPages((dataStart + info.dataOffsets.lowerBound)..<(dataStart + info.dataOffsets.upperBound))
        }
    }

    /// The tensor's bytes as stored (little-endian, row-major), valid while this file is alive.
    func rawData(_ name: String) -> (bytes: UnsafeRawBufferPointer, dtype: DType)? {
        guard let info = tensors[name] else { return nil }
        let begin = dataStart + info.dataOffsets.lowerBound
        return (UnsafeRawBufferPointer(rebasing: file.bytes[begin..<(begin + info.dataOffsets.count)]), info.dtype)
    }

    /// The tensor converted to fp32, row-major, into `destination` (which must hold `elementCount` floats).
    public func read(_ name: String, into destination: UnsafeMutableBufferPointer<Float>) throws {
        guard let info = tensors[name] else { throw QAEngineError.invalidWeights(path: path, reason: "no tensor \(name)") }
        let count = info.elementCount
        guard destination.count >= count, let out = destination.baseAddress else {
            throw QAEngineError.invalidWeights(path: path, reason: "tensor \(name) has \(count) values, more than the \(destination.count) expected")
        }
        let source = UnsafeRawBufferPointer(rebasing: file.bytes[(dataStart + info.dataOffsets.lowerBound)...])
        switch info.dtype {
        case .f32:
            for i in 0..<count { out[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
        case .f16:
            // F16C where the CPU has it; the same floats as Float(halfBits:) for every non-NaN value.
            if let base = source.baseAddress { _ = ci8_f16_to_f32(base, out, count) }
        case .bf16:
            for i in 0..<count {
                let bits = UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                out[i] = Float(bitPattern: UInt32(bits) << 16)
            }
        default:
            throw QAEngineError.invalidWeights(path: path, reason: "tensor \(name) is \(info.dtype.rawValue); only F32, F16 and BF16 weights are supported")
        }
    }

    public func read(_ name: String) throws -> [Float] {
        guard let info = tensors[name] else { throw QAEngineError.invalidWeights(path: path, reason: "no tensor \(name)") }
        var values = [Float](repeating: 0, count: info.elementCount)
        try values.withUnsafeMutableBufferPointer { try read(name, into: $0) }
        return values
    }
}

extension Float {
    /// IEEE 754 binary16 to binary32, exact for every input including subnormals, infinities and NaN.
    init(halfBits h: UInt16) {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = UInt32(h >> 10) & 0x1F
        let mantissa = UInt32(h & 0x3FF)
        if exponent == 0x1F {
            self = Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        } else if exponent != 0 {
            self = Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
        } else {
            let magnitude = Float(mantissa) * 0x1p-24
            self = sign != 0 ? -magnitude : magnitude
        }
    }
}
