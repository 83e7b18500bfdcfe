#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How many durable commits the file system under the scratch directory allows per second:
/// append 4 KiB to a file and `fdatasync` it, as SQLite does with its WAL on every commit when
/// `synchronous=FULL`. This bounds single-event durable appends, whatever the CPU does.
enum FsyncProbe {
    /// Syncs per second, or nil when the probe file cannot be written.
    static func measure(directory: String, seconds: Double) -> Double? {
        let path = directory + "/fsync-probe.bin"
        let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        guard fd >= 0 else { return nil }
        defer {
            close(fd)
            unlink(path)
        }
        let page = [UInt8](repeating: 0x42, count: 4096)
        var failed = false
        let rate = Stopwatch.rate(for: seconds, round: 8) { _ in
            let written = page.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written != page.count || fdatasync(fd) != 0 { failed = true }
        }
        return failed ? nil : rate
    }
}
