import ApprovalLedger
import Foundation

/// Files named on the command line (policies, checkpoints, key files), read with two bounds:
/// only a regular file is read, and at most `limit + 1` bytes of it. Opening a FIFO for reading
/// waits for a writer, and reading a device or a socket may never end, so the file is opened
/// non-blocking and checked with `fstat` on the open descriptor (not `stat` on the path, which
/// a rename could swap in between) before one byte is read; a huge file cannot exhaust memory,
/// and the caller can tell "too large" from "fits".
enum InputFile {
    /// Up to `limit + 1` bytes of the regular file at `path`.
    /// - Throws: `LedgerError.notFound` when it cannot be opened or read,
    ///   `not-a-regular-file` when it is a FIFO, a device, a socket or a directory.
    static func read(_ path: String, what: String, limit: Int) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw LedgerError(.notFound, "cannot read \(what) '\(path)': \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            throw LedgerError(.notFound, "cannot read \(what) '\(path)': \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else { throw notRegular(path, what: what, mode: status.st_mode) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count <= limit {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, min($0.count, limit + 1 - bytes.count)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw LedgerError(.notFound, "cannot read \(what) '\(path)': \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    /// Refuses a path that exists but is not a regular file; a missing path passes (the
    /// caller creates it, or reports it missing). For files another library opens itself,
    /// such as the SQLite ledger and its `-wal`, `-shm` and `-journal` companions.
    static func requireRegularIfPresent(_ path: String, what: String) throws {
        var status = stat()
        guard stat(path, &status) == 0 else { return }
        guard status.st_mode & S_IFMT == S_IFREG else { throw notRegular(path, what: what, mode: status.st_mode) }
    }

    static func notRegular(_ path: String, what: String, mode: mode_t) -> LedgerError {
        let kind = switch mode & S_IFMT {
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFDIR: "a directory"
        case S_IFCHR, S_IFBLK: "a device"
        case S_IFSOCK: "a socket"
        default: "not a regular file"
        }
        return LedgerError(
            .notARegularFile,
            "\(what) '\(path)' is \(kind), not a regular file: reading it could wait forever or never end; give the path of a file")
    }
}

extension LedgerError.Code {
    /// A path the CLI reads names a FIFO, device, socket or directory.
    static let notARegularFile = LedgerError.Code(rawValue: "not-a-regular-file")
}
