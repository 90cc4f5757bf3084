/// Splits a byte stream into LSP messages framed as `Content-Length: N\r\n\r\n<N bytes>`. Header lines
/// ending in a bare LF are accepted too. Bad framing (no or garbage length, an oversized header or body)
/// yields `.error` and the framer resynchronises on the next `Content-Length:` header, so one bad message
/// never stops the stream. A body is always taken whole: what is inside it is never read as framing.
public struct MessageFramer: Sendable {
    public enum Event: Sendable, Equatable {
        case message([UInt8])
        case error(String)
    }

    public static let maxHeaderBytes = 8 * 1024
    public static let maxBodyBytes = 64 * 1024 * 1024
    private static let lengthHeader: [UInt8] = Array("Content-Length:".utf8)

    private var buffer: [UInt8] = []
    private var start = 0
    private var bodyLength: Int?
    private var resyncing = false

    public init() {}

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// The next complete message or framing error, or nil when more bytes are needed.
    public mutating func next() -> Event? {
        defer { compact() }
        while true {
            if resyncing {
                if let i = find(Self.lengthHeader, from: start) {
                    start = i
                    resyncing = false
                } else {
                    start = max(start, buffer.count - Self.lengthHeader.count + 1)
                    return nil
                }
            }
            if let length = bodyLength {
                guard buffer.count - start >= length else { return nil }
                let body = Array(buffer[start..<start + length])
                start += length
                bodyLength = nil
                return .message(body)
            }
            while start < buffer.count, buffer[start] == 0x0D || buffer[start] == 0x0A { start += 1 }
            guard start < buffer.count else { return nil }
            guard let (end, bodyStart) = headerEnd(from: start) else {
                if buffer.count - start > Self.maxHeaderBytes {
                    skipForResync()
                    return .error("message header longer than \(Self.maxHeaderBytes) bytes")
                }
                return nil
            }
            let header = buffer[start..<end]
            start = bodyStart
            switch Self.contentLength(in: header) {
            case .success(let n):
                bodyLength = n
            case .failure(let problem):
                resyncing = true
                return .error(problem.message)
            }
        }
    }

    /// At end of input: an error if a message was cut short, nil if the stream ended cleanly.
    public mutating func finish() -> Event? {
        defer { buffer = []; start = 0; bodyLength = nil; resyncing = false }
        if let length = bodyLength {
            return .error("input ended \(length - (buffer.count - start)) bytes short of the message body")
        }
        let rest = buffer[start...].drop { $0 == 0x0D || $0 == 0x0A || $0 == 0x20 }
        if !resyncing, !rest.isEmpty { return .error("input ended inside a message header") }
        return nil
    }

    struct FramingProblem: Error { var message: String }

    static func contentLength(in header: ArraySlice<UInt8>) -> Result<Int, FramingProblem> {
        guard String(validating: header, as: UTF8.self) != nil else {
            return .failure(FramingProblem(message: "message header is not valid UTF-8"))
        }
        var length: Int?
        // Lines end in LF, optionally after a CR (a Swift Character would take "\r\n" as one).
        for var bytes in header.split(separator: 0x0A, omittingEmptySubsequences: true) {
            if bytes.last == 0x0D { bytes = bytes.dropLast() }
            if bytes.isEmpty { continue }
            let line = Substring(decoding: bytes, as: UTF8.self)
            guard let colon = line.firstIndex(of: ":") else {
                return .failure(FramingProblem(message: "malformed header line (no colon)"))
            }
            let name = line[..<colon].trimmingSpaces().lowercased()
            let value = line[line.index(after: colon)...].trimmingSpaces()
            if name == "content-length" {
                guard !value.isEmpty, value.utf8.count <= 12, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                      let n = Int(value)
                else {
                    return .failure(FramingProblem(message: "Content-Length is not a non-negative integer"))
                }
                guard n <= maxBodyBytes else {
                    return .failure(FramingProblem(message: "Content-Length \(n) exceeds the \(maxBodyBytes)-byte limit"))
                }
                length = n
            }
        }
        guard let length else { return .failure(FramingProblem(message: "message header has no Content-Length")) }
        return .success(length)
    }

    private mutating func skipForResync() {
        start += 1
        resyncing = true
    }

    /// Where the header that begins at `from` ends (just after its last line's terminator) and its body
    /// starts (after the empty line), within `maxHeaderBytes`. Lines end in CRLF or a bare LF.
    private func headerEnd(from: Int) -> (end: Int, bodyStart: Int)? {
        let limit = min(buffer.count, from + Self.maxHeaderBytes + 2)
        var lineStart = from
        var i = from
        while i < limit {
            if buffer[i] == 0x0A {
                let isEmpty = i == lineStart || (i == lineStart + 1 && buffer[lineStart] == 0x0D)
                if isEmpty, lineStart > from { return (lineStart, i + 1) }
                lineStart = i + 1
            }
            i += 1
        }
        return nil
    }

    private func find(_ needle: [UInt8], from: Int, limit: Int = .max) -> Int? {
        let last = limit >= buffer.count ? buffer.count - needle.count : min(buffer.count - needle.count, from + limit)
        guard from <= last else { return nil }
        var i = from
        outer: while i <= last {
            for j in 0..<needle.count where buffer[i + j] != needle[j] {
                i += 1
                continue outer
            }
            return i
        }
        return nil
    }

    private mutating func compact() {
        if start > 0, start >= buffer.count / 2 || start > 1 << 20 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

/// Frames one outgoing message.
public func frame(_ body: String) -> [UInt8] {
    var bytes = Array("Content-Length: \(body.utf8.count)\r\n\r\n".utf8)
    bytes.append(contentsOf: body.utf8)
    return bytes
}
