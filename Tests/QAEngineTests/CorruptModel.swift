import Foundation
import JSON

/// Rewrites a copied fixture model for validation tests: config.json members, tensor values, dtypes.
struct CorruptModel {
    let directory: String
    var configPath: String { directory + "/config.json" }
    var weightsPath: String { directory + "/model.safetensors" }

    func setConfig(_ key: String, _ value: JSON) throws {
        var config = try JSON.parse(String(contentsOfFile: configPath, encoding: .utf8))
        config[key] = value
        try Data(config.serialized().utf8).write(to: URL(fileURLWithPath: configPath))
    }

    /// The header (as JSON) and the data bytes after it.
    func read() throws -> (header: JSON, data: [UInt8]) {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: weightsPath)))
        let n = (0..<8).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
        return (try JSON.parse(bytes: Array(bytes[8..<(8 + n)])), Array(bytes[(8 + n)...]))
    }

    func write(header: JSON, data: [UInt8]) throws {
        let h = Array(header.serialized().utf8)
        let length = (0..<8).map { UInt8(truncatingIfNeeded: h.count >> (8 * $0)) }
        try Data(length + h + data).write(to: URL(fileURLWithPath: weightsPath))
    }

    /// Overwrites element `index` of tensor `name` with raw little-endian bits of the tensor's width.
    func setBits(_ name: String, index: Int = 0, _ bits: UInt32) throws {
        let (header, original) = try read()
        var data = original
        let begin = try JSONReader(header)[name]["data_offsets"].array()[0].int()
        let width = header[name]["dtype"] == "F16" ? 2 : 4
        for b in 0..<width { data[begin + width * index + b] = UInt8(truncatingIfNeeded: bits >> (8 * UInt32(b))) }
        try write(header: header, data: data)
    }

    /// Sets every element of an F32 tensor to `value`.
    func fill(_ name: String, _ value: Float) throws {
        let (header, original) = try read()
        var data = original
        let offsets = try JSONReader(header)[name]["data_offsets"].array().map { try $0.int() }
        let bits = value.bitPattern
        for i in stride(from: offsets[0], to: offsets[1], by: 4) {
            for b in 0..<4 { data[i + b] = UInt8(truncatingIfNeeded: bits >> (8 * UInt32(b))) }
        }
        try write(header: header, data: data)
    }

    /// Replaces every tensor's bytes with seeded random bytes (the layout stays valid).
    func randomiseData(seed: UInt64) throws {
        let (header, original) = try read()
        var data = original
        var state = seed
        for i in data.indices {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            data[i] = UInt8(truncatingIfNeeded: state >> 33)
        }
        try write(header: header, data: data)
    }

    /// Converts every F32 tensor to F16.
    func convertToHalf() throws {
        let (header, data) = try read()
        guard case .object(let entries) = header else { return }
        var out = JSONObject(), bytes: [UInt8] = []
        let ordered = entries.filter { $0.key != "__metadata__" }.sorted {
            ($0.value["data_offsets"].arrayValue?.first?.intValue ?? 0) < ($1.value["data_offsets"].arrayValue?.first?.intValue ?? 0)
        }
        for (name, info) in ordered {
            let r = JSONReader(info)
            let lo = try r["data_offsets"].array()[0].int(), hi = try r["data_offsets"].array()[1].int()
            let begin = bytes.count
            guard info["dtype"] == "F32" else {
                bytes += data[lo..<hi]
                out[name] = info.with(offsets: begin, bytes.count)
                continue
            }
            for i in stride(from: lo, to: hi, by: 4) {
                let bits = UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16 | UInt32(data[i + 3]) << 24
                let half = Float16(Float(bitPattern: bits)).bitPattern
                bytes += [UInt8(truncatingIfNeeded: half), UInt8(truncatingIfNeeded: half >> 8)]
            }
            var entry = info.with(offsets: begin, bytes.count)
            entry["dtype"] = "F16"
            out[name] = entry
        }
        try write(header: .object(out), data: bytes)
    }
}

extension JSON {
    fileprivate func with(offsets begin: Int, _ end: Int) -> JSON {
        var copy = self
        copy["data_offsets"] = [.int(begin), .int(end)]
        return copy
    }
}
