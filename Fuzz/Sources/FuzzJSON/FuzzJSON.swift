import JSON

/// json-c through the JSON module: parsing never traps, and whatever parses serialises to text that
/// parses back to the same value (numbers compared by value: 1.0 is written as 1).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let value = try? JSON.parse(bytes: bytes) else { return 0 }
    for pretty in [false, true] {
        let text = value.serialized(pretty: pretty)
        guard let again = try? JSON.parse(text) else {
            fatalError("serialised JSON does not parse: \(text)")
        }
        guard sameValue(value, again) else { fatalError("round trip changed the value: \(text)") }
    }
    var reader = JSONReader(value)
    for key in ["id", "method", "params", "a"] { reader = reader[key]; _ = try? reader.object(); _ = try? reader.array() }
    _ = value.intValue
    return 0
}

/// Equal as JSON: numbers by value; a non-finite double (json-c reads 1e999 as infinity) is written as null.
func sameValue(_ a: JSON, _ b: JSON) -> Bool {
    switch (a, b) {
    case (.double(let x), _) where !x.isFinite: return b.isNull
    case (.int, _), (.double, _):
        guard let x = a.doubleValue, let y = b.doubleValue else { return false }
        return x == y
    case (.array(let x), .array(let y)):
        return x.count == y.count && zip(x, y).allSatisfy(sameValue)
    case (.object(let x), .object(let y)):
        return x.keys == y.keys && x.allSatisfy { member in y[member.key].map { sameValue(member.value, $0) } ?? false }
    default:
        return a == b
    }
}
