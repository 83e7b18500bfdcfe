import Foundation

/// What the figures were measured on.
struct MachineInfo {
    var cores: Int
    var cpuModel: String
    var memoryBytes: UInt64
    var operatingSystem: String
    var kernel: String
    var openSSLVersion: String

    static func current() -> MachineInfo {
        let cpuModel = firstValue(in: "/proc/cpuinfo", key: "model name") ?? "unknown"
        let os = firstValue(in: "/etc/os-release", key: "PRETTY_NAME", separator: "=")?
            .trimmingCharacters(in: CharacterSet(charactersIn: "\"")) ?? ProcessInfo.processInfo.operatingSystemVersionString
        let kernel = (try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown"
        let openSSL = OpenSSLSpeed.findOnPath("openssl").flatMap { OpenSSLSpeed.run($0, ["version"]) }?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown (no openssl binary)"
        return MachineInfo(
            cores: ProcessInfo.processInfo.activeProcessorCount, cpuModel: cpuModel,
            memoryBytes: ProcessInfo.processInfo.physicalMemory, operatingSystem: os, kernel: kernel,
            openSSLVersion: openSSL)
    }

    private static func firstValue(in path: String, key: String, separator: Character = ":") -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: separator, maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == key {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}
