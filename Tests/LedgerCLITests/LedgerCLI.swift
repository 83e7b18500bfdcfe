import Foundation
import TestSupport

/// Runs the built `ledger` binary in a temporary working directory.
struct LedgerCLI {
    let directory: TemporaryDirectory
    var binary = TestPaths.ledgerBinary.path

    init() throws {
        directory = try TemporaryDirectory()
    }

    @discardableResult
    func run(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws -> ProcessResult {
        try ProcessRunner.run(binary, arguments, environment: environment, input: input.map { Data($0.utf8) }, currentDirectory: directory.path)
    }

    /// Runs with the process's clock starting at `time` (UTC), through Debian's `faketime`:
    /// how a test lets time pass, since the ledger dates nothing ahead of its host's clock.
    @discardableResult
    func run(_ arguments: [String], at time: Date, input: String? = nil) throws -> ProcessResult {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return try ProcessRunner.run(
            "faketime", ["-f", "@" + formatter.string(from: time), binary] + arguments, environment: ["TZ": "UTC", "FAKETIME_DONT_FAKE_MONOTONIC": "1"],
            input: input.map { Data($0.utf8) }, currentDirectory: directory.path)
    }

    /// Runs with `bytes` on stdin, which need not be UTF-8.
    @discardableResult
    func run(_ arguments: [String], stdin bytes: [UInt8]?) throws -> ProcessResult {
        try ProcessRunner.run(binary, arguments, input: bytes.map { Data($0) }, currentDirectory: directory.path)
    }

    func path(_ name: String) -> String { directory.file(name) }

    /// Generates root.pem, creates ops.ledger, registers alice (request, append).
    func initialised() throws -> LedgerCLI {
        try expectSuccess(run(["key", "generate", "--out", "root.pem"]))
        try expectSuccess(run(["key", "generate", "--out", "alice.pem"]))
        try expectSuccess(run(["--ledger", "ops.ledger", "--key", "root.pem", "init"]))
        try expectSuccess(run([
            "--ledger", "ops.ledger", "--key", "root.pem", "key", "register", "--identity", "alice",
            "--public-key", "alice.pem.pub", "--capability", "request", "--capability", "append",
        ]))
        return self
    }

    func expectSuccess(_ result: ProcessResult) throws {
        guard result.status == 0 else {
            throw CLIFailure(message: "exit \(result.status): \(result.stderr)\(result.stdout)")
        }
    }

    struct CLIFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}

/// Parses one line of JSON output with Foundation, independent of the code under test.
func jsonObject(_ text: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
}
