import Foundation

/// `openssl speed -seconds S ed25519`, the reference figure OpenSSL itself reports (it reuses one
/// signing context per key, so it is what libcrypto can do with no per-call overhead).
struct OpenSSLSpeed {
    var signsPerSecond: Double
    var verifiesPerSecond: Double
    /// The `openssl version` line.
    var version: String
    /// The command that was run.
    var command: String

    /// Runs the `openssl` binary found on PATH; nil when there is none or its output has no
    /// Ed25519 line.
    static func measure(seconds: Double) -> OpenSSLSpeed? {
        guard let binary = findOnPath("openssl") else { return nil }
        let wholeSeconds = max(1, Int(seconds.rounded()))
        let arguments = ["speed", "-seconds", String(wholeSeconds), "ed25519"]
        guard let output = run(binary, arguments), let rates = parse(output) else { return nil }
        let version = run(binary, ["version"])?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown"
        return OpenSSLSpeed(
            signsPerSecond: rates.sign, verifiesPerSecond: rates.verify, version: version,
            command: "openssl " + arguments.joined(separator: " "))
    }

    /// Reads the summary line, e.g.
    /// ` 253 bits EdDSA (Ed25519)   0.0000s   0.0001s  26011.5   9907.5`
    /// whose last two columns are sign/s and verify/s.
    static func parse(_ output: String) -> (sign: Double, verify: Double)? {
        for line in output.split(separator: "\n") where line.contains("(Ed25519)") && !line.contains("Doing") {
            let numbers = line.split(separator: " ").compactMap { Double($0) }
            if numbers.count >= 2 { return (numbers[numbers.count - 2], numbers[numbers.count - 1]) }
        }
        return nil
    }

    static func findOnPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The standard output of `binary arguments`, or nil when it fails.
    static func run(_ binary: String, _ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
