import CPCRE2

/// A regular expression compiled once with PCRE2 (`PCRE2_UTF | PCRE2_UCP`) and matched under match, depth
/// and heap limits, so a configured pattern can neither crash the server nor backtrack for seconds: a match
/// that reaches a limit fails with `MatchFailure.limitReached`. Offsets are UTF-8 byte offsets.
public final class BoundedRegex: @unchecked Sendable, Equatable, CustomStringConvertible {
    /// Calls of PCRE2's internal match function per match: tens of milliseconds at most.
    public static let matchLimit: UInt32 = 1_000_000
    /// Nested backtracking points per match.
    public static let depthLimit: UInt32 = 10_000
    /// Heap for backtracking, in KiB.
    public static let heapLimitKiB: UInt32 = 20_000
    /// Longer patterns are refused at configuration time.
    public static let maxPatternLength = 10_000

    public struct CompileError: Error, CustomStringConvertible, Equatable {
        public var pattern: String
        /// Characters (Unicode scalars) into the pattern where PCRE2 stopped.
        public var offset: Int
        public var message: String
        public var description: String { "invalid regular expression \"\(pattern)\" at character \(offset): \(message)" }
    }

    public enum MatchFailure: Error, CustomStringConvertible, Equatable {
        case limitReached(String)
        case failed(String)
        public var description: String {
            switch self {
            case .limitReached(let what): return "the pattern reached PCRE2's \(what) limit"
            case .failed(let message): return "the pattern failed: \(message)"
            }
        }
    }

    public let pattern: String
    public let caseSensitive: Bool
    /// Capturing groups in the pattern (group 0, the whole match, not counted).
    public let captureCount: Int
    // Compiled code and a match context with the limits set are read-only after init, which PCRE2 allows
    // threads to share; each match makes its own match data.
    private let code: OpaquePointer
    private let context: OpaquePointer

    public init(_ pattern: String, caseSensitive: Bool) throws(CompileError) {
        let scalars = pattern.unicodeScalars.count
        guard scalars <= Self.maxPatternLength else {
            throw CompileError(pattern: String(pattern.prefix(40)) + "…", offset: Self.maxPatternLength,
                               message: "longer than \(Self.maxPatternLength) characters")
        }
        var options = UInt32(PCRE2_UTF | PCRE2_UCP)
        if !caseSensitive { options |= UInt32(PCRE2_CASELESS) }
        var errorCode: Int32 = 0
        var errorOffset = 0
        let bytes = Array(pattern.utf8)
        let terminated = bytes + [0]  // a non-nil pointer even for the empty pattern
        let compiled = terminated.withUnsafeBufferPointer {
            pcre2_compile_8($0.baseAddress, bytes.count, options, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            throw CompileError(pattern: pattern, offset: Self.scalarOffset(ofByte: errorOffset, in: bytes),
                               message: Self.errorMessage(errorCode))
        }
        guard let context = pcre2_match_context_create_8(nil) else {
            pcre2_code_free_8(compiled)
            throw CompileError(pattern: pattern, offset: 0, message: "out of memory")
        }
        pcre2_set_match_limit_8(context, Self.matchLimit)
        pcre2_set_depth_limit_8(context, Self.depthLimit)
        pcre2_set_heap_limit_8(context, Self.heapLimitKiB)
        var count: UInt32 = 0
        _ = pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        self.pattern = pattern
        self.caseSensitive = caseSensitive
        self.code = compiled
        self.context = context
        captureCount = Int(count)
    }

    deinit {
        pcre2_match_context_free_8(context)
        pcre2_code_free_8(code)
    }

    /// The first match in `subject` (UTF-8): the byte range of each group, 0 the whole match, nil for a
    /// group that did not take part; nil when nothing matches.
    public func firstMatch(in subject: [UInt8]) throws(MatchFailure) -> [Range<Int>?]? {
        guard let data = pcre2_match_data_create_from_pattern_8(code, nil) else { throw .failed("out of memory") }
        defer { pcre2_match_data_free_8(data) }
        let terminated = subject + [0]
        let rc = terminated.withUnsafeBufferPointer {
            pcre2_match_8(code, $0.baseAddress, subject.count, 0, 0, data, context)
        }
        switch rc {
        case PCRE2_ERROR_NOMATCH: return nil
        case PCRE2_ERROR_MATCHLIMIT: throw .limitReached("match")
        case PCRE2_ERROR_DEPTHLIMIT: throw .limitReached("depth")
        case PCRE2_ERROR_HEAPLIMIT: throw .limitReached("heap")
        case ..<0: throw .failed(Self.errorMessage(rc))
        default: break
        }
        guard let ovector = pcre2_get_ovector_pointer_8(data) else { return nil }
        let pairs = Int(pcre2_get_ovector_count_8(data))
        return (0...captureCount).map { g -> Range<Int>? in
            guard g < pairs, g < Int(rc) || rc == 0 else { return nil }
            let lo = ovector[2 * g], hi = ovector[2 * g + 1]
            // PCRE2_UNSET is ~0 as size_t, which Swift reads as a negative Int: any range check drops it.
            guard lo >= 0, lo <= hi, hi <= subject.count else { return nil }
            return lo..<hi
        }
    }

    /// Unicode scalars in `bytes[..<byte]`: bytes that do not continue a UTF-8 sequence.
    public static func scalarOffset(ofByte byte: Int, in bytes: [UInt8]) -> Int {
        bytes.prefix(max(0, byte)).reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
    }

    static func errorMessage(_ code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = buffer.withUnsafeMutableBufferPointer { pcre2_get_error_message_8(code, $0.baseAddress, $0.count) }
        guard n > 0 else { return "PCRE2 error \(code)" }
        return String(decoding: buffer.prefix(Int(n)), as: UTF8.self)
    }

    public static func == (a: BoundedRegex, b: BoundedRegex) -> Bool {
        a.pattern == b.pattern && a.caseSensitive == b.caseSensitive
    }

    public var description: String { pattern }
}
