#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes to standard output and error with write(2), so a failed write (a full disk, a closed pipe) is an
/// error the caller reports, not the trap of Foundation's `FileHandle.write`.
enum StandardStream {
    struct WriteFailure: Error, CustomStringConvertible {
        var code: Int32
        var description: String { String(cString: strerror(code)) }
    }

    static func write(_ text: String, to fd: Int32) throws(WriteFailure) {
        let bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { buf in
                Glibc.write(fd, buf.baseAddress.map { $0 + done }, buf.count - done)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw WriteFailure(code: errno)
            }
            if n == 0 { throw WriteFailure(code: EIO) }
            done += n
        }
    }

    /// Standard error, best effort: there is nowhere left to report its own failure.
    static func error(_ text: String) {
        try? write(text, to: STDERR_FILENO)
    }
}
