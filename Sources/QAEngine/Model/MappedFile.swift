#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory map of a whole regular file. Opening checks that the path is a regular file,
/// so a directory or device gives an error instead of a mapping that faults later.
final class MappedFile: @unchecked Sendable {
    let path: String
    let bytes: UnsafeRawBufferPointer
    private let mapping: UnsafeMutableRawPointer?

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw QAEngineError.unreadableFile(path: path, reason: errnoDescription()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw QAEngineError.unreadableFile(path: path, reason: errnoDescription()) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw QAEngineError.unreadableFile(path: path, reason: "not a regular file")
        }
        let size = Int(info.st_size)
        guard size > 0 else {
            mapping = nil
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw QAEngineError.unreadableFile(path: path, reason: "cannot map file: \(errnoDescription())")
        }
        mapping = base
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    /// Lets the kernel drop the resident pages inside `range` (they are read again from the file if touched):
    /// weights converted at load need not stay in the process's memory.
    func dropPages(_ range: Range<Int>) {
        guard let mapping, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard page > 0 else { return }
        let start = (range.lowerBound + page - 1) / page * page
        let end = min(range.upperBound, bytes.count) / page * page
        guard start < end else { return }
        _ = madvise(mapping + start, end - start, MADV_DONTNEED)
    }

    deinit {
        if let mapping { munmap(mapping, bytes.count) }
    }
}

/// Reads a small text or JSON file whole.
func readSmallFile(_ path: String, limit: Int = 64 << 20) throws -> [UInt8] {
    let file = try MappedFile(path: path)
    guard file.bytes.count <= limit else {
        throw QAEngineError.unreadableFile(path: path, reason: "file is \(file.bytes.count) bytes, more than the \(limit)-byte limit")
    }
    return Array(file.bytes)
}

func fileExists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0
}

func joinPath(_ directory: String, _ name: String) -> String {
    directory.hasSuffix("/") ? directory + name : directory + "/" + name
}

private func errnoDescription() -> String {
    String(cString: strerror(errno))
}
