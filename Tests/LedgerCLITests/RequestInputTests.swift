import Foundation
import TestSupport
import Testing

/// `request open` refuses what a reviewer could not judge or the risk model would misread,
/// before the rules, with a message that says what is accepted, and records nothing.
@Suite("request open: inputs refused before the rules")
struct RequestInputTests {
    static let open = ["--ledger", "ops.ledger", "--key", "alice.pem", "request", "open", "--action", "deploy.promote", "--resource", "svc/checkout", "--env", "prod"]

    /// root, alice (request, append) and the demo policy, whose risk model reads
    /// blast_radius, change_size and rollback_available.
    static func setup() throws -> LedgerCLI {
        let cli = try LedgerCLI().initialised()
        try FileManager.default.copyItem(
            atPath: TestPaths.packageRoot.appendingPathComponent("Sources/LedgerCLI/demo-policy.yaml").path, toPath: cli.path("demo-policy.yaml"))
        try cli.expectSuccess(cli.run(["--ledger", "ops.ledger", "--key", "root.pem", "policy", "publish", "demo-policy.yaml"]))
        return cli
    }

    @Test("Each refused input exits 3 with invalid-request and what is accepted, and appends nothing", arguments: [
        (["--summary", ""], ["the summary is empty"]),
        (["--summary", " \t "], ["the summary is empty"]),
        (["--summary", "s", "--link", "https://ci/1", "--link", ""], ["link 2 is empty"]),
        (["--summary", "s", "--risk", "blast_raduis=10"], ["'blast_raduis' is not a risk input", "blast_radius (a number", "rollback_available (one of no, yes)", "change_size"]),
        (["--summary", "s", "--risk", "rollback_available=maybe"], ["rollback_available=maybe is not a value the risk model knows", "one of no, yes"]),
        (["--summary", "s", "--risk", "blast_radius=lots"], ["blast_radius=lots is not a value", "a number; 100 or more counts fully"]),
        (["--summary", "s", "--risk", "blast_radius=nan"], ["blast_radius=nan is not a value"]),
        (["--summary", "s", "--risk", "blast_radius=0x10"], ["blast_radius=0x10 is not a value"]),
        (["--summary", "s", "--risk", "environment=dev"], ["'environment' is not a risk input", "it comes from --env"]),
        (["--summary", "s", "--risk", "off_hours=0"], ["'off_hours' is not a risk input", "from the time"]),
    ])
    func refused(_ extra: [String], _ expected: [String]) throws {
        let cli = try Self.setup()
        let before = try cli.run(["--ledger", "ops.ledger", "log", "--format", "json"])
        let result = try cli.run(Self.open + extra)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("[invalid-request]"), "\(result.stderr)")
        for fragment in expected { #expect(result.stderr.contains(fragment), "no '\(fragment)' in \(result.stderr)") }
        #expect(result.stdout.isEmpty)
        #expect(try cli.run(["--ledger", "ops.ledger", "log", "--format", "json"]).stdout == before.stdout, "something was appended")
    }

    @Test("Known inputs with values the model maps are accepted and scored")
    func accepted() throws {
        let cli = try Self.setup()
        let result = try cli.run(Self.open + [
            "--summary", "canary", "--link", "https://ci/1", "--risk", "blast_radius=2.5e1", "--risk", "rollback_available=yes", "--format", "json",
        ])
        try cli.expectSuccess(result)
        let explanation = (try jsonObject(result.stdout)["risk"] as? [String: Any])?["explanation"] as? String
        #expect(explanation?.contains("blast_radius=2.5e1 +5") == true, "\(explanation ?? "")")
        try cli.expectSuccess(cli.run(["--ledger", "ops.ledger", "verify"]))
    }

    @Test("An argument that is not valid UTF-8 is refused from the raw argv, not repaired and recorded", arguments: [
        #"--summary $'canary \xff'"#, #"--summary $'\xc3\x28'"#, #"--summary s --link $'https://ci/\xed\xa0\x80'"#, #"--summary=$'a\xe2\x82'"#,
    ])
    func invalidUTF8(_ arguments: String) throws {
        let cli = try Self.setup()
        let before = try cli.run(["--ledger", "ops.ledger", "log", "--format", "json"])
        // bash's $'\xff' passes the raw byte; Foundation's Process only takes valid strings.
        let command = "exec \"$LEDGER_BIN\" " + Self.open.map { "'\($0)'" }.joined(separator: " ") + " " + arguments
        let result = try ProcessRunner.run("/bin/bash", ["-c", command], environment: ["LEDGER_BIN": cli.binary], currentDirectory: cli.directory.path)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("is not valid UTF-8"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(try cli.run(["--ledger", "ops.ledger", "log", "--format", "json"]).stdout == before.stdout, "something was appended")
    }
}
