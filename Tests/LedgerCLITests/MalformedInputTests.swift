import Foundation
import TestSupport
import Testing

/// Nothing bad gets in: every case of `MalformedInputCorpus` through the built binary gives its
/// typed error and exit status, prints nothing on stdout, and leaves the ledger exactly as it
/// was and still verifying.
@Suite("Malformed input through every entry point")
struct MalformedInputTests {
    @Test("Each malformed input gives its expected error and changes nothing", arguments: EntryPoint.allCases)
    func corpus(_ entry: EntryPoint) throws {
        let cli = try Self.setup()
        let before = try cli.run(["--ledger", "ops.ledger", "log", "--format", "json"])
        try cli.expectSuccess(before)
        let goodCheckpoint = try String(contentsOfFile: cli.path("good.checkpoint"), encoding: .utf8)
        #expect(entry.cases.count >= 6)
        for testCase in entry.cases {
            for (name, file) in testCase.files {
                let url = URL(fileURLWithPath: cli.path(name))
                switch file {
                case .bytes(let bytes, let mode):
                    try Data(bytes).write(to: url)
                    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
                case .checkpoint(let edit):
                    let edited = edit(goodCheckpoint)
                    #expect(edited != goodCheckpoint, "\(entry)/\(testCase): the edit changed nothing")
                    try Data(edited.utf8).write(to: url)
                case .bundle(let edit):
                    try FileManager.default.copyItem(atPath: cli.path("good-bundle"), toPath: url.path)
                    try edit(url.path)
                case .fifo(let mode):
                    guard mkfifo(url.path, mode_t(mode)) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
                }
            }
            // Under `timeout`, so an input that makes the command hang fails its case (killed:
            // exit 137) instead of hanging the suite.
            let result = try ProcessRunner.run(
                try ProcessRunner.which("timeout"), ["--signal=KILL", String(Self.hangSeconds), cli.binary] + testCase.arguments,
                input: testCase.stdin.map { Data($0) }, currentDirectory: cli.directory.path)
            #expect(result.status != 137, "\(entry)/\(testCase): hung, killed after \(Self.hangSeconds) s")
            #expect(result.status == testCase.status, "\(entry)/\(testCase): exit \(result.status): \(result.stderr)")
            for fragment in testCase.expected {
                #expect(result.stderr.contains(fragment), "\(entry)/\(testCase): no '\(fragment)' in: \(result.stderr)")
            }
            if let report = testCase.report {
                for fragment in report {
                    #expect(result.stdout.contains(fragment), "\(entry)/\(testCase): no '\(fragment)' in the report: \(result.stdout)")
                }
                #expect(TerminalTextTests.actionable(result.stdout).isEmpty, "\(entry)/\(testCase): raw control characters in the report")
            } else {
                #expect(result.stdout.isEmpty, "\(entry)/\(testCase): printed \(result.stdout.prefix(200))")
            }
            #expect(TerminalTextTests.actionable(result.stderr).isEmpty, "\(entry)/\(testCase): raw control characters on stderr")
        }
        let after = try cli.run(["--ledger", "ops.ledger", "log", "--format", "json"])
        #expect(after.stdout == before.stdout, "\(entry): the ledger changed")
        let verify = try cli.run(["--ledger", "ops.ledger", "verify", "--anchor", "good.checkpoint"])
        #expect(verify.status == 0, "\(entry): \(verify.stdout)\(verify.stderr)")
    }

    /// Far beyond any case's honest run: only a command that waits forever reaches it.
    static let hangSeconds = 120

    @Test("The corpus holds at least 40 malformed inputs, each named once")
    func corpusSize() {
        let names = EntryPoint.allCases.flatMap { entry in entry.cases.map { "\(entry)/\($0.name)" } }
        #expect(names.count >= 40)
        #expect(Set(names).count == names.count)
    }

    /// A ledger with root (admin), alice (request, append) and bob (approve), a policy, a
    /// checkpoint of it in good.checkpoint and an evidence bundle of it in good-bundle.
    static func setup() throws -> LedgerCLI {
        let cli = try TerminalTextTests.approvalSetup()
        try cli.expectSuccess(cli.run(["--ledger", "ops.ledger", "--key", "alice.pem", "append", "--type", "deploy.note", "--stream", "svc"]))
        try cli.expectSuccess(cli.run(["--ledger", "ops.ledger", "--key", "root.pem", "checkpoint", "--json", "--out", "good.checkpoint"]))
        try cli.expectSuccess(cli.run(["--ledger", "ops.ledger", "--key", "root.pem", "export", "--format", "bundle", "--out", "good-bundle"]))
        try cli.expectSuccess(cli.run(["verify", "--bundle", "good-bundle"]))
        return cli
    }
}
