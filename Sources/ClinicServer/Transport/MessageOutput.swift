import JSON
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Where the server's outgoing JSON-RPC messages go. Implementations must be safe to call from
/// any thread: responses, notifications from the analysis worker and logs interleave.
public protocol MessageOutput: Sendable {
    func send(_ message: JSON)
    /// Sends a message serialised ahead of time (large notifications prepared off the critical path).
    func send(_ message: PreparedMessage)
}

extension MessageOutput {
    public func send(_ message: PreparedMessage) {
        send((try? JSON.parse(bytes: Array(message.body.utf8))) ?? .null)
    }
}

/// A message serialised ahead of time, as pieces whose concatenation is the body: a whole document's
/// diagnostics (tens of megabytes) are written piece by piece instead of being joined first.
public struct PreparedMessage: Sendable {
    public let pieces: [String]
    public let byteCount: Int

    public init(_ message: JSON) { self.init(pieces: [message.serialized()]) }
    /// The pieces' concatenation must be one serialised JSON-RPC message.
    init(pieces: [String]) {
        self.pieces = pieces
        byteCount = pieces.reduce(0) { $0 + $1.utf8.count }
    }

    public var body: String { pieces.joined() }
}

/// Writes framed messages to a file descriptor (stdout), whole messages at a time.
public final class FileDescriptorOutput: MessageOutput {
    private let fd: Int32
    private let lock = Mutex<Bool>(true)

    public init(fd: Int32) { self.fd = fd }

    public func send(_ message: JSON) {
        writeFramed(frame(message.serialized()))
    }

    public func send(_ message: PreparedMessage) {
        lock.withLock { healthy in
            guard healthy else { return }
            var buffer = Array("Content-Length: \(message.byteCount)\r\n\r\n".utf8)
            buffer.reserveCapacity(Self.bufferBytes)
            for piece in message.pieces {
                buffer.append(contentsOf: piece.utf8)
                if buffer.count >= Self.bufferBytes {
                    healthy = buffer.withUnsafeBytes { Self.writeAll(fd, $0) }
                    guard healthy else { return }
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            healthy = buffer.withUnsafeBytes { Self.writeAll(fd, $0) }
        }
    }

    /// How much of a prepared message is gathered before each write.
    private static let bufferBytes = 1 << 18

    private func writeFramed(_ bytes: [UInt8]) {
        lock.withLock { healthy in
            guard healthy else { return }
            healthy = bytes.withUnsafeBytes { Self.writeAll(fd, $0) }
        }
    }

    private static func writeAll(_ fd: Int32, _ buf: UnsafeRawBufferPointer) -> Bool {
        var done = 0
        while done < buf.count {
            let n = write(fd, buf.baseAddress! + done, buf.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            done += n
        }
        return true
    }
}

/// Reads framed messages from a file descriptor (stdin) until end of input.
public struct FileDescriptorInput: Sendable {
    private let fd: Int32
    public init(fd: Int32) { self.fd = fd }

    /// Calls `onEvent` for each message or framing error, in order, on the calling thread.
    public func run(_ onEvent: (MessageFramer.Event) -> Void) {
        var framer = MessageFramer()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                break
            }
            if n == 0 { break }
            framer.append(chunk[0..<n])
            while let event = framer.next() { onEvent(event) }
        }
        if let last = framer.finish() { onEvent(last) }
    }
}
