#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file operations the witness's state needs, each failure turned into a `WitnessError`
/// with the system's own words (one funnel, as for OpenSSL and SQLite elsewhere).
enum StateFiles {
    /// The largest state file read; a record holds one checkpoint note (≤ 64 KiB) and keys.
    static let maxBytes = 1 << 20

    /// The file's bytes, or nil when it does not exist.
    static func read(_ path: String) throws(WitnessError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw failure("cannot open", path)
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("cannot read", path)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            guard bytes.count <= maxBytes else { throw WitnessError(.corruptState, "state file '\(path)' is larger than \(maxBytes) bytes", path: path) }
        }
    }

    /// Replaces `path` with `bytes` so that a crash leaves the old content or the new, never a
    /// mix: write a temporary file, fsync it, rename it over `path`, fsync the directory.
    /// Callers hold the record's lock, so one temporary name per file is enough.
    static func replace(_ path: String, with bytes: [UInt8]) throws(WitnessError) {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw failure("cannot create", temporary) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                let error = failure("cannot write", temporary)
                close(fd)
                throw error
            }
            offset += written
        }
        guard fsync(fd) == 0 else {
            let error = failure("cannot flush", temporary)
            close(fd)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else { throw failure("cannot rename \(temporary) to", path) }
        try syncDirectory(of: path)
    }

    /// Runs `body` holding an exclusive `flock` on `lockPath` (created if missing). `flock`
    /// locks belong to the open file, so two threads of one process exclude each other as two
    /// processes do. The lock is released when the descriptor closes, even if the process dies.
    static func withLock<T>(_ lockPath: String, _ body: () throws(WitnessError) -> T) throws(WitnessError) -> T {
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw failure("cannot open lock file", lockPath) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw failure("cannot lock", lockPath) }
        }
        return try body()
    }

    /// Creates a directory (mode 0700: the state is the witness's alone to change).
    static func makeDirectory(_ path: String) throws(WitnessError) {
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else { throw failure("cannot create directory", path) }
    }

    static func exists(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0
    }

    /// The entries of a directory, without `.` and `..`.
    static func list(_ path: String) throws(WitnessError) -> [String] {
        guard let directory = opendir(path) else { throw failure("cannot list", path) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    private static func syncDirectory(of path: String) throws(WitnessError) {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("cannot open directory", directory) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure("cannot flush directory", directory) }
    }

    static func failure(_ what: String, _ path: String) -> WitnessError {
        WitnessError(.io, "\(what) '\(path)': \(String(cString: strerror(errno)))", path: path)
    }
}
