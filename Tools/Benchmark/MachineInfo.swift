import Foundation

/// What the figures were measured on.
struct MachineInfo {
    var cores: Int
    var cpuModel: String
    var memoryBytes: UInt64
    var operatingSystem: String
    var kernel: String
    var openSSLVersion: String
    /// `swift --version` of the toolchain on PATH (normally the one that built this binary).
    var swiftVersion: String

    static func current() -> MachineInfo {
        let cpuModel = firstValue(in: "/proc/cpuinfo", key: "model name") ?? "unknown"
        let os = firstValue(in: "/etc/os-release", key: "PRETTY_NAME", separator: "=")?
            .trimmingCharacters(in: CharacterSet(charactersIn: "\"")) ?? ProcessInfo.processInfo.operatingSystemVersionString
        let kernel = (try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown"
        let openSSL = ChildProcess.find("openssl").flatMap { ChildProcess.output(of: $0, ["version"]) }?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown (no openssl binary)"
        let swift = ChildProcess.find("swift").flatMap { ChildProcess.output(of: $0, ["--version"]) }?
            .split(separator: "\n").first.map(String.init) ?? "unknown (no swift on PATH)"
        return MachineInfo(
            cores: ProcessInfo.processInfo.activeProcessorCount, cpuModel: cpuModel,
            memoryBytes: ProcessInfo.processInfo.physicalMemory, operatingSystem: os, kernel: kernel,
            openSSLVersion: openSSL, swiftVersion: swift)
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
