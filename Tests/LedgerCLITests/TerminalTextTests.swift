import Foundation
@testable import LedgerCLI
import TestSupport
import Testing

/// Text written by others (reasons, summaries, policy names, input quoted in errors) must not be
/// able to drive the terminal or disguise itself when `ledger` prints it.
@Suite("Control characters and bidi overrides cannot spoof terminal output")
struct TerminalTextTests {
    /// What a hostile reason looks like: a right-to-left override that makes "deny" read as
    /// "approve", a forged line of output, a screen clear (ESC and its C1 form CSI), a window
    /// title change (OSC), and invisible characters.
    static let hostile =
        "ok\u{202E}ynned\u{202C} \u{2066}x\u{2069}\n  decision    granted by root\r\u{1B}[2J\u{9B}31m\u{1B}]0;pwned\u{07}\u{200B}\u{FEFF}\u{2028}end"

    /// Scalars a terminal would act on instead of drawing, listed independently of the code
    /// under test. Line feeds are allowed: they separate the tool's own lines.
    static func actionable(_ text: String) -> [Unicode.Scalar] {
        text.unicodeScalars.filter { scalar in
            let value = scalar.value
            return (value < 0x20 && value != 0x0A) || (0x7F...0x9F).contains(value) || (0x200B...0x200F).contains(value)
                || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value) || value == 0x2028 || value == 0x2029
                || value == 0xFEFF || value == 0x061C
        }
    }

    @Test("field escapes every control, format and separator character, line feeds included")
    func fieldEscapes() {
        let shown = TerminalText.field(Self.hostile)
        #expect(Self.actionable(shown).isEmpty)
        #expect(!shown.contains("\n"))
        #expect(shown.hasPrefix("ok\\u{202e}ynned\\u{202c} \\u{2066}x\\u{2069}\\u{a}  decision"))
        #expect(shown.contains("\\u{1b}[2J\\u{9b}31m\\u{1b}]0;pwned\\u{7}"))
    }

    @Test("Printable text, accents and other scripts included, is shown as written")
    func printableUntouched() {
        for text in ["canary error rate flat for 30 min", "café déployé", "日本語の理由", "émoji 🚀 ok", "tab-free, 100% ASCII!"] {
            #expect(TerminalText.field(text) == text)
            #expect(TerminalText.lines(text) == text)
        }
    }

    @Test("lines keeps the tool's own line feeds and escapes everything else; field cuts long text")
    func linesAndLimits() {
        #expect(TerminalText.lines("a\nb\u{1B}[2J\r") == "a\nb\\u{1b}[2J\\u{d}")
        #expect(TerminalText.field(String(repeating: "x", count: 50), limit: 10) == String(repeating: "x", count: 10) + "…")
    }

    @Test("A hostile summary and reason print escaped, on one line each, in `request show`")
    func requestShow() throws {
        let cli = try Self.approvalSetup()
        let open = try cli.run([
            "--ledger", "ops.ledger", "--key", "alice.pem", "request", "open", "--action", "deploy.promote", "--resource", "svc/checkout",
            "--env", "prod", "--summary", Self.hostile,
        ])
        try cli.expectSuccess(open)
        let id = open.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let vote = try cli.run(["--ledger", "ops.ledger", "--key", "bob.pem", "approve", id, "--reason", Self.hostile])
        try cli.expectSuccess(vote)
        let show = try cli.run(["--ledger", "ops.ledger", "request", "show", id])
        try cli.expectSuccess(show)
        #expect(Self.actionable(show.stdout).isEmpty, "\(show.stdout.unicodeScalars.map { String($0.value, radix: 16) })")
        #expect(!show.stdout.contains("\n  decision    granted by root"), "the reason forged no line")
        let summary = show.stdout.split(separator: "\n").filter { $0.hasPrefix("  summary") }
        #expect(summary.count == 1)
        #expect(summary.first?.contains("\\u{202e}") == true)
        // The data itself is kept exactly: JSON output carries the reason as written.
        let json = try cli.run(["--ledger", "ops.ledger", "request", "show", id, "--format", "json"])
        let votes = try jsonObject(json.stdout)["votes"] as? [[String: Any]]
        #expect(votes?.first?["reason"] as? String == Self.hostile)
        try cli.expectSuccess(cli.run(["--ledger", "ops.ledger", "verify"]))
    }

    @Test("The HTML report shows a hostile summary and reason escaped, never as raw controls or bidi overrides")
    func htmlReport() throws {
        let cli = try Self.approvalSetup()
        let open = try cli.run([
            "--ledger", "ops.ledger", "--key", "alice.pem", "request", "open", "--action", "deploy.promote", "--resource", "svc/checkout",
            "--env", "prod", "--summary", Self.hostile,
        ])
        try cli.expectSuccess(open)
        let id = open.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try cli.expectSuccess(cli.run(["--ledger", "ops.ledger", "--key", "bob.pem", "approve", id, "--reason", "<script>alert(1)</script>" + Self.hostile]))
        try cli.expectSuccess(cli.run(["--ledger", "ops.ledger", "--key", "root.pem", "export", "--format", "html", "--out", "report.html"]))
        let html = try String(contentsOfFile: cli.path("report.html"), encoding: .utf8)
        // Tabs and line feeds are whitespace in HTML; everything else unsafe must be escaped.
        let raw = Self.actionable(html).filter { $0 != "\t" }
        #expect(raw.isEmpty, "\(raw.map { String($0.value, radix: 16) })")
        #expect(html.contains("ok\\u{202e}ynned\\u{202c}"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<script>alert(1)"))
    }

    @Test("Hostile policy names and keys print escaped in `policy check`")
    func policyCheck() throws {
        let cli = try LedgerCLI()
        let yaml = "version: 1\nname: \"ok\\u202Eevil\\e[2J\"\n\"bad\\u202Ekey\\x1B]0;t\\x07\": 1\nrules: []\n"
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: cli.path("p.yaml")))
        let result = try cli.run(["policy", "check", "p.yaml"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("bad\\u{202e}key\\u{1b}]0;t\\u{7}"), "\(result.stdout)")
        #expect(Self.actionable(result.stdout + result.stderr).isEmpty)
        let publish = try cli.run(["policy", "publish", "p.yaml", "--ledger", "none.ledger", "--key", "none.pem"])
        #expect(publish.status == 2)
        #expect(Self.actionable(publish.stderr).isEmpty, "\(publish.stderr)")
    }

    @Test("Input quoted in error messages is escaped")
    func errorMessages() throws {
        let cli = try LedgerCLI().initialised()
        let line = "{\"type\":\"x.y\",\"stream\":\"s\",\"payload\":{\"\\u001b[2J\\u202e\":1,\"\\u001b[2J\\u202e\":2}}\n"
        let result = try cli.run(["--ledger", "ops.ledger", "--key", "alice.pem", "append", "--jsonl"], input: line)
        #expect(result.status != 0)
        #expect(result.stderr.contains("duplicate"), "\(result.stderr)")
        #expect(Self.actionable(result.stderr).isEmpty, "\(result.stderr)")
        let unknown = try cli.run(
            ["--ledger", "ops.ledger", "--key", "alice.pem", "append", "--jsonl"],
            input: "{\"type\":\"x.y\",\"stream\":\"s\",\"payload\":{},\"\\u009b31m\":1}\n")
        #expect(unknown.status == 2)
        #expect(Self.actionable(unknown.stderr).isEmpty, "\(unknown.stderr)")
    }

    /// A ledger with a policy where alice requests and bob (sre) approves.
    static func approvalSetup() throws -> LedgerCLI {
        let cli = try LedgerCLI().initialised()
        try cli.expectSuccess(cli.run(["key", "generate", "--out", "bob.pem"]))
        try cli.expectSuccess(cli.run([
            "--ledger", "ops.ledger", "--key", "root.pem", "key", "register", "--identity", "bob", "--public-key", "bob.pem.pub",
            "--capability", "approve",
        ]))
        let policy = """
            version: 1
            name: spoofing
            groups:
              sre: [bob]
            rules:
              - name: prod
                match: {environment: prod}
                require: {groups: {sre: 1}}
            """
        try Data(policy.utf8).write(to: URL(fileURLWithPath: cli.path("policy.yaml")))
        try cli.expectSuccess(cli.run(["--ledger", "ops.ledger", "--key", "root.pem", "policy", "publish", "policy.yaml"]))
        return cli
    }
}
