import Foundation
import TestSupport
import Testing

/// The README's quick start ("A first ledger from the shell") runs exactly as written: its
/// shell block, taken from README.md, run by bash in an empty directory with the built
/// `ledger` first on PATH.
@Suite("README quick start")
struct ReadmeQuickStartTests {
    static let heading = "## A first ledger from the shell"

    /// The first ```sh block after the heading, as written.
    static func quickStart() throws -> String {
        let readme = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false)
        guard let heading = lines.firstIndex(where: { $0 == heading }),
              let open = lines[heading...].firstIndex(where: { $0 == "```sh" }),
              let close = lines[(open + 1)...].firstIndex(where: { $0 == "```" })
        else { throw LedgerCLI.CLIFailure(message: "README.md has no ```sh block under '\(heading)'") }
        return lines[(open + 1)..<close].joined(separator: "\n") + "\n"
    }

    @Test("The quick start exits 0 under bash -eu -o pipefail from an empty directory, and leaves a ledger that verifies clean")
    func runsAsWritten() throws {
        let script = try Self.quickStart()
        // What the section promises to show: a wait for a human, and both verifications.
        for step in ["ledger init", "cat > policy.yaml", "request open", "approve", "request wait", "execute", "tick", "verify --anchor", "verify --since-checkpoint"] {
            #expect(script.contains(step), "the quick start no longer shows '\(step)'")
        }
        let directory = try TemporaryDirectory()
        let scriptPath = directory.path + "-quickstart.sh"
        try Data(script.utf8).write(to: URL(fileURLWithPath: scriptPath))
        defer { try? FileManager.default.removeItem(atPath: scriptPath) }
        let path = TestPaths.productsDirectory.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        // errexit, nounset and pipefail: every command of the block must succeed, not only the last.
        let run = try ProcessRunner.run("/bin/bash", ["-eu", "-o", "pipefail", scriptPath], environment: ["PATH": path], currentDirectory: directory.path)
        #expect(run.status == 0, "exit \(run.status)\n\(run.stderr)\n\(run.stdout.suffix(2000))")
        #expect(run.stdout.contains("VERIFIED"), "\(run.stdout.suffix(2000))")

        let verify = try ProcessRunner.run(
            TestPaths.ledgerBinary.path, ["--ledger", "ops.ledger", "verify", "--strict", "--anchor", "ops.checkpoint"], currentDirectory: directory.path)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("0 errors, 0 warnings, 0 notes"), "\(verify.stdout)")
        let show = try ProcessRunner.run(TestPaths.ledgerBinary.path, ["--ledger", "ops.ledger", "request", "list", "--format", "json"], currentDirectory: directory.path)
        let requests = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [[String: Any]]
        #expect(requests?.map { $0["status"] as? String } == ["granted"], "\(show.stdout)")
    }
}
