import Foundation

/// Resident memory of this process, from /proc/self/status (Linux only; nil elsewhere).
enum ProcessMemory {
    /// Peak resident set size (VmHWM) in bytes.
    static var peakResidentBytes: Int? { field("VmHWM:") }

    /// Current resident set size (VmRSS) in bytes.
    static var residentBytes: Int? { field("VmRSS:") }

    /// Resets VmHWM to the current RSS (`echo 5 > /proc/self/clear_refs`, Linux 4.0+), so the
    /// next peak read covers only what follows. Returns false when the kernel refuses.
    static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do { try handle.write(contentsOf: Data("5".utf8)) } catch { return false }
        return true
    }

    /// A "kB" field of a /proc status file, in bytes; nil when the file or field is missing.
    static func field(_ name: String, in path: String = "/proc/self/status") -> Int? {
        guard let status = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(name) {
            // "VmHWM:	   12345 kB"
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if parts.count >= 2, let kilobytes = Int(parts[1]) { return kilobytes * 1024 }
        }
        return nil
    }
}
