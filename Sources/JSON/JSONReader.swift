/// What was wrong with a JSON document and where, as a path such as `params.textDocument.uri`.
public struct JSONTypeError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var message: String
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Typed, path-tracking access to a JSON value, for reading protocol messages and config files.
public struct JSONReader: Sendable {
    public let value: JSON
    public let path: String

    public init(_ value: JSON, path: String = "") {
        self.value = value
        self.path = path
    }

    public var isMissing: Bool { value.isNull }

    public subscript(key: String) -> JSONReader {
        JSONReader(value[key], path: path.isEmpty ? key : "\(path).\(key)")
    }

    public func fail(_ message: String) -> JSONTypeError { JSONTypeError(path: path, message: message) }

    private func mismatch(_ expected: String) -> JSONTypeError {
        value.isNull ? fail("missing \(expected)") : fail("expected \(expected), found \(value.typeName)")
    }

    public func string() throws -> String {
        guard let s = value.stringValue else { throw mismatch("string") }
        return s
    }
    public func int() throws -> Int {
        guard let i = value.intValue else { throw mismatch("integer") }
        return i
    }
    public func double() throws -> Double {
        guard let d = value.doubleValue else { throw mismatch("number") }
        return d
    }
    public func bool() throws -> Bool {
        guard let b = value.boolValue else { throw mismatch("boolean") }
        return b
    }
    public func array() throws -> [JSONReader] {
        guard let a = value.arrayValue else { throw mismatch("array") }
        return a.enumerated().map { JSONReader($1, path: "\(path)[\($0)]") }
    }
    public func object() throws -> [(key: String, value: JSONReader)] {
        guard let o = value.objectValue else { throw mismatch("object") }
        return o.map { ($0.key, JSONReader($0.value, path: path.isEmpty ? $0.key : "\(path).\($0.key)")) }
    }

    /// nil when the member is absent or null; an error when it is present with the wrong type.
    public func optionalString() throws -> String? { value.isNull ? nil : try string() }
    public func optionalInt() throws -> Int? { value.isNull ? nil : try int() }
    public func optionalDouble() throws -> Double? { value.isNull ? nil : try double() }
    public func optionalBool() throws -> Bool? { value.isNull ? nil : try bool() }
    public func optionalArray() throws -> [JSONReader]? { value.isNull ? nil : try array() }
}
