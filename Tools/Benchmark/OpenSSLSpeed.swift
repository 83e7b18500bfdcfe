import Foundation

/// `openssl speed -seconds S ed25519`: the figure OpenSSL itself reports for one core, a
/// cross-check of the library measurement that does not go through this package's bindings.
struct OpenSSLSpeed {
    var signsPerSecond: Double
    var verifiesPerSecond: Double

    /// Runs the `openssl` binary found on PATH; nil when there is none or its output has no
    /// Ed25519 line.
    static func measure(seconds: Double) -> OpenSSLSpeed? {
        guard let binary = ChildProcess.find("openssl") else { return nil }
        let wholeSeconds = max(1, Int(seconds.rounded()))
        let arguments = ["speed", "-seconds", String(wholeSeconds), "ed25519"]
        guard let output = ChildProcess.output(of: binary, arguments, timeout: 4 * seconds + 30),
              let rates = parse(output)
        else { return nil }
        return OpenSSLSpeed(signsPerSecond: rates.sign, verifiesPerSecond: rates.verify)
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
}
