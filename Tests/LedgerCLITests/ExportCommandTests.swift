import Foundation
import TestSupport
import Testing

/// `ledger export` and `ledger verify --bundle` through the built binary, on the demo ledger.
@Suite("ledger export")
struct ExportCommandTests {
    /// `ledger demo --dir demo` in a fresh directory: the demo ledger, its team's keys.
    static func demo() throws -> LedgerCLI {
        let cli = try LedgerCLI()
        try cli.expectSuccess(cli.run(["demo", "--dir", "demo"]))
        return cli
    }

    static let onDemo = ["--ledger", "demo/demo.ledger", "--key", "demo/keys/root.pem"]

    static func python(_ arguments: [String], in cli: LedgerCLI) throws -> ProcessResult {
        try ProcessRunner.run("python3", arguments, currentDirectory: cli.directory.path)
    }

    static let verifier = TestPaths.packageRoot.appendingPathComponent("Tools/verify_bundle.py").path

    @Test("The demo ledger as a bundle verifies with `ledger verify --bundle` and Tools/verify_bundle.py; changing a byte of any file fails both")
    func demoBundle() throws {
        let cli = try Self.demo()
        let export = try cli.run(Self.onDemo + ["export", "--format", "bundle", "--out", "audit", "--summary-format", "json"])
        #expect(export.status == 0, "\(export.stderr)")
        let summary = try jsonObject(export.stdout)
        #expect(summary["events"] as? Int == 52)
        #expect(summary["checkpoints"] as? [Int] == [52, 52], "a JSON checkpoint and a checkpoint note of the end")

        let verify = try cli.run(["verify", "--bundle", "audit"])
        #expect(verify.status == 0, "\(verify.stdout)")
        #expect(verify.stdout.hasPrefix("VERIFIED\n"))
        let json = try jsonObject(try cli.run(["verify", "--bundle", "audit", "--format", "json"]).stdout)
        #expect(json["verified"] as? Bool == true)
        #expect((json["bundle"] as? [String: Any])?["lines"] as? Int == 52)
        let python = try Self.python([Self.verifier, "audit"], in: cli)
        #expect(python.status == 0, "\(python.stdout)\(python.stderr)")
        #expect(python.stdout.hasPrefix("VERIFIED\n"))

        let bundle = cli.path("audit")
        let files = try FileManager.default.subpathsOfDirectory(atPath: bundle).filter { !$0.hasSuffix("checkpoints") }.sorted()
        #expect(files.count == 5, "\(files)")
        for file in files {
            let url = URL(fileURLWithPath: bundle + "/" + file)
            let original = try Data(contentsOf: url)
            for index in Set([0, original.count / 3, original.count / 2, original.count - 1]).sorted() {
                var changed = original
                changed[index] ^= 0x04
                try changed.write(to: url)
                let swift = try cli.run(["verify", "--bundle", "audit"])
                let python = try Self.python([Self.verifier, "audit"], in: cli)
                #expect(swift.status == 1 && swift.stdout.hasPrefix("NOT VERIFIED"), "\(file) byte \(index): ledger \(swift.status)")
                #expect(python.status == 1 && python.stdout.hasPrefix("NOT VERIFIED"), "\(file) byte \(index): python \(python.status)")
            }
            try original.write(to: url)
        }
        #expect(try cli.run(["verify", "--bundle", "audit"]).status == 0)
    }

    @Test("--redact-payloads: the bundle still verifies with both, and carries no request content")
    func redactedBundle() throws {
        let cli = try Self.demo()
        try cli.expectSuccess(cli.run(Self.onDemo + ["export", "--format", "bundle", "--out", "redacted", "--redact-payloads"]))
        let events = try String(contentsOfFile: cli.path("redacted/events.jsonl"), encoding: .utf8)
        #expect(!events.contains("svc/checkout"))
        #expect(!events.contains("canary"))
        #expect(events.contains("acme-production-changes"), "the policy stays disclosed")
        let verify = try cli.run(["verify", "--bundle", "redacted"])
        #expect(verify.status == 0, "\(verify.stdout)")
        #expect(verify.stdout.contains("absent"))
        #expect(try Self.python([Self.verifier, "redacted"], in: cli).status == 0)
    }

    @Test("A whole-ledger jsonl export is exactly what `ledger log --format json` prints")
    func jsonLinesAreTheLogLines() throws {
        let cli = try Self.demo()
        try cli.expectSuccess(cli.run(Self.onDemo + ["export", "--format", "jsonl", "--out", "events.jsonl"]))
        let log = try cli.run(["--ledger", "demo/demo.ledger", "log", "--format", "json"])
        #expect(try String(contentsOfFile: cli.path("events.jsonl"), encoding: .utf8) == log.stdout)
        let piped = try cli.run(Self.onDemo + ["export", "--format", "jsonl", "--out", "-"])
        #expect(piped.stdout == log.stdout)
        #expect(piped.stderr.contains("exported jsonl"))
    }

    @Test("The CSV parses with Python's csv module into the columns documented in docs/EXPORT.md")
    func csvParsesIntoDocumentedColumns() throws {
        let cli = try Self.demo()
        try cli.expectSuccess(cli.run(Self.onDemo + ["export", "--format", "csv", "--out", "requests.csv"]))
        let program = """
            import csv, json, sys
            with open(sys.argv[1], newline="", encoding="utf-8") as f:
                reader = csv.reader(f, strict=True)
                header = next(reader)
                rows = [dict(zip(header, row)) for row in reader]
                assert all(len(row) == len(header) for row in rows)
            print(json.dumps({"header": header, "rows": rows}))
            """
        let parsed = try Self.python(["-c", program, "requests.csv"], in: cli)
        #expect(parsed.status == 0, "\(parsed.stderr)")
        let object = try jsonObject(parsed.stdout)
        let doc = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("docs/EXPORT.md"), encoding: .utf8)
        let section = doc.components(separatedBy: "## CSV columns")[1].components(separatedBy: "\n## ")[0]
        let documented = section.split(separator: "\n").filter { $0.hasPrefix("| `") }.map {
            String($0.split(separator: "|")[0].trimmingCharacters(in: .whitespaces).dropFirst().dropLast())
        }
        #expect(object["header"] as? [String] == documented)
        let rows = object["rows"] as? [[String: String]] ?? []
        #expect(rows.count == 10)
        let byAction = Dictionary(rows.map { ($0["action"] ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byAction["firewall.open"]?["decision"] == "denied")
        #expect(byAction["firewall.open"]?["deniers"] == "grace")
        #expect(byAction["db.migrate"]?["approvers"] == "carol;bob")
        #expect(byAction["db.migrate"]?["refused_executions"] == "2")
        #expect(rows.filter { $0["decision"] == "bypassed" }.count == 1)
        #expect(rows.allSatisfy { Double($0["latency_seconds"] ?? "") != nil || $0["decision"] == "pending" })
    }

    @Test("The HTML report is one self-contained file with the verification, charts, requests and their histories")
    func htmlReport() throws {
        let cli = try Self.demo()
        try cli.expectSuccess(cli.run(Self.onDemo + ["export", "--format", "html", "--out", "report.html"]))
        let html = try String(contentsOfFile: cli.path("report.html"), encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("Content-Security-Policy"))
        for external in ["src=", "<link", "url(", "@import", "<iframe", "<object"] {
            #expect(!html.contains(external), "\(external)")
        }
        #expect(html.contains("<h2>VERIFIED</h2>"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 3)
        let log = try cli.run(["--ledger", "demo/demo.ledger", "log", "--format", "json"]).stdout
        let requestStreams = Set(log.split(separator: "\n").compactMap { line -> String? in
            let envelope = (try? jsonObject(String(line)))?["envelope"] as? [String: Any]
            return envelope?["type"] as? String == "request.opened" ? envelope?["stream"] as? String : nil
        })
        #expect(requestStreams.count == 10)
        for id in requestStreams { #expect(html.contains(id), "\(id)") }
        #expect(html.components(separatedBy: "<details>").count - 1 >= 10)
        #expect(html.contains("deploy-bot"))
        #expect(html.contains("acme-production-changes"))
        #expect(html.contains("signature"))
    }

    @Test("Refusals say what to do: no checkpoint possible, existing output, bad period, unknown request, not a bundle")
    func refusals() throws {
        let cli = try Self.demo()
        let noKey = try cli.run(["--ledger", "demo/demo.ledger", "export", "--format", "bundle", "--out", "b"])
        #expect(noKey.status == 2)
        #expect(noKey.stderr.contains("--key"))
        try cli.expectSuccess(cli.run(Self.onDemo + ["export", "--format", "csv", "--out", "r.csv"]))
        let exists = try cli.run(Self.onDemo + ["export", "--format", "csv", "--out", "r.csv"])
        #expect(exists.status == 2)
        #expect(exists.stderr.contains("already exists"))
        #expect(try cli.run(Self.onDemo + ["export", "--format", "csv", "--out", "x.csv", "--since", "last week"]).status == 64)
        #expect(try cli.run(Self.onDemo + ["export", "--format", "bundle", "--out", "-"]).status == 64)
        let unknown = try cli.run(Self.onDemo + ["export", "--format", "csv", "--out", "y.csv", "--request", "req-nope"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("req-nope"))
        let empty = try cli.run(Self.onDemo + ["export", "--format", "csv", "--out", "z.csv", "--since", "2030-01-01"])
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("no event"))
        let notBundle = try cli.run(["verify", "--bundle", "demo"])
        #expect(notBundle.status == 2)
        #expect(notBundle.stderr.contains("manifest.json"))
        #expect(try Self.python([Self.verifier, "demo"], in: cli).status == 2)
        let help = try cli.run(["export", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Examples"))
    }
}
