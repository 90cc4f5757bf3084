import CJSONC

public struct JSONParseError: Error, CustomStringConvertible, Equatable {
    public var message: String
    /// Byte offset into the input where json-c stopped.
    public var offset: Int
    public var description: String { "invalid JSON at byte \(offset): \(message)" }
}

extension JSON {
    /// Parses one JSON text. Rejects invalid UTF-8, trailing garbage and nesting deeper than `maxDepth`.
    public static func parse(_ text: String, maxDepth: Int32 = 512) throws -> JSON {
        var copy = text
        return try copy.withUTF8 { try parse(bytes: UnsafeRawBufferPointer($0), maxDepth: maxDepth) }
    }

    public static func parse(bytes: [UInt8], maxDepth: Int32 = 512) throws -> JSON {
        try bytes.withUnsafeBytes { try parse(bytes: $0, maxDepth: maxDepth) }
    }

    public static func parse(bytes: UnsafeRawBufferPointer, maxDepth: Int32 = 512) throws -> JSON {
        if bytes.count > Int(Int32.max) {
            throw JSONParseError(message: "input larger than 2 GiB", offset: Int(Int32.max))
        }
        guard let tok = json_tokener_new_ex(maxDepth) else {
            throw JSONParseError(message: "out of memory", offset: 0)
        }
        defer { json_tokener_free(tok) }
        json_tokener_set_flags(tok, Int32(JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8))
        let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self)
        let terminator: [CChar] = [0]
        var obj: OpaquePointer? = terminator.withUnsafeBufferPointer { e in
            json_tokener_parse_ex(tok, base ?? e.baseAddress, Int32(clamping: bytes.count))
        }
        var err = json_tokener_get_error(tok)
        let end = Int(json_tokener_get_parse_end(tok))
        if err == json_tokener_continue, end == bytes.count {
            // A bare number or literal at the very end ("42", "true", "null") is complete only once
            // json-c sees the input end, which a NUL byte tells it; anything else is still cut short.
            obj = terminator.withUnsafeBufferPointer { json_tokener_parse_ex(tok, $0.baseAddress, 1) }
            if json_tokener_get_error(tok) != json_tokener_success {
                if let obj { json_object_put(obj) }
                throw JSONParseError(message: "unexpected end of input", offset: bytes.count)
            }
            err = json_tokener_success
        }
        if err != json_tokener_success {
            defer { if let obj { json_object_put(obj) } }
            if err == json_tokener_continue {
                throw JSONParseError(message: "unexpected end of input", offset: bytes.count)
            }
            throw JSONParseError(message: String(cString: json_tokener_error_desc(err)), offset: end)
        }
        defer { if let obj { json_object_put(obj) } }
        var rest = end
        while rest < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[rest]) { rest += 1 }
        if rest < bytes.count {
            throw JSONParseError(message: "unexpected data after the JSON value", offset: rest)
        }
        return JSON(borrowing: obj)
    }

    init(borrowing obj: OpaquePointer?) {
        guard let obj else { self = .null; return }
        switch json_object_get_type(obj) {
        case json_type_null: self = .null
        case json_type_boolean: self = .bool(json_object_get_boolean(obj) != 0)
        case json_type_int: self = .int(Int(json_object_get_int64(obj)))
        case json_type_double: self = .double(json_object_get_double(obj))
        case json_type_string:
            let len = Int(json_object_get_string_len(obj))
            let ptr = UnsafeRawPointer(json_object_get_string(obj)!)
            self = .string(String(decoding: UnsafeRawBufferPointer(start: ptr, count: len), as: UTF8.self))
        case json_type_array:
            let n = json_object_array_length(obj)
            var items: [JSON] = []
            items.reserveCapacity(n)
            for i in 0..<n { items.append(JSON(borrowing: json_object_array_get_idx(obj, i))) }
            self = .array(items)
        case json_type_object:
            var o = JSONObject()
            var it = json_object_iter_begin(obj)
            var end = json_object_iter_end(obj)
            while json_object_iter_equal(&it, &end) == 0 {
                let key = String(cString: json_object_iter_peek_name(&it))
                o[key] = JSON(borrowing: json_object_iter_peek_value(&it))
                json_object_iter_next(&it)
            }
            self = .object(o)
        default: self = .null
        }
    }

    /// A new json-c object owning one reference (nil for JSON null, as json-c represents it).
    func makeCObject() -> OpaquePointer? {
        switch self {
        case .null: return nil
        case .bool(let b): return json_object_new_boolean(b ? 1 : 0)
        case .int(let i): return json_object_new_int64(Int64(i))
        case .double(let d):
            guard d.isFinite else { return nil }
            if d == d.rounded(), abs(d) < 1e15 { return json_object_new_double_s(d, String(Int(d))) }
            return json_object_new_double_s(d, "\(d)")
        case .string(let s):
            var s = s
            return s.withUTF8 { buf in
                buf.withMemoryRebound(to: CChar.self) { json_object_new_string_len($0.baseAddress, Int32(buf.count)) }
            }
        case .array(let items):
            let arr = json_object_new_array_ext(Int32(max(items.count, 1)))
            for item in items { json_object_array_add(arr, item.makeCObject()) }
            return arr
        case .object(let o):
            let obj = json_object_new_object()
            for (k, v) in o { json_object_object_add(obj, k, v.makeCObject()) }
            return obj
        }
    }

    /// Serialises through json-c. `pretty` indents with two spaces.
    public func serialized(pretty: Bool = false) -> String {
        guard let obj = makeCObject() else { return "null" }
        defer { json_object_put(obj) }
        var flags = JSON_C_TO_STRING_NOSLASHESCAPE
        flags |= pretty ? (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED) : JSON_C_TO_STRING_PLAIN
        var len = 0
        guard let cstr = json_object_to_json_string_length(obj, Int32(flags), &len) else { return "null" }
        return String(decoding: UnsafeRawBufferPointer(start: cstr, count: len), as: UTF8.self)
    }
}

extension JSON: CustomStringConvertible {
    public var description: String { serialized() }
}
