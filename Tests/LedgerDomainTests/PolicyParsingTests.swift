import LedgerDomain
import LedgerFormat
import Testing

@Suite("Policy files")
struct PolicyParsingTests {
    static let minimal = """
        version: 1
        name: p
        groups:
          sre: [alice, bob]
        rules:
          - name: prod
            match: {environment: prod}
            require: {groups: {sre: 1}}
        """

    @Test func minimalPolicyGetsDocumentedDefaults() throws {
        let policy = try Policy(yaml: Self.minimal)
        let rule = try #require(policy.rules.first)
        #expect(rule.requiredTotal == 1)
        #expect(rule.distinctApprovers)
        #expect(!rule.allowSelfApproval)
        #expect(rule.denyVeto == 1)
        #expect(rule.ttl == 86_400_000)
        #expect(rule.onTimeout == .expire)
        #expect(rule.grantTTL == 3_600_000)
        #expect(rule.oneShot)
        #expect(rule.match.actions == [Glob("*")])
        #expect(policy.risk.levels.map(\.name) == ["low", "medium", "high", "critical"])
    }

    @Test("Normalized JSON reads back to an equal policy with the same hash")
    func jsonRoundTrip() throws {
        let yaml = String(decoding: try TestPaths.packageFile("Sources/LedgerCLI/demo-policy.yaml"), as: UTF8.self)
        let policy = try Policy(yaml: yaml)
        let reread = try Policy(json: policy.jsonValue)
        #expect(reread == policy)
        #expect(reread.contentHash == policy.contentHash)
        #expect(policy.rules.count == 7)
    }

    @Test("A rule's required context reads from YAML and back from JSON; a rule without one writes none, so older policies keep their hash")
    func requiredContext() throws {
        let policy = try Policy(yaml: Self.minimal.replacingOccurrences(of: "require: {groups: {sre: 1}}", with: "require: {groups: {sre: 1}}\n    context: {links: 2}"))
        #expect(policy.rules.first?.context == RequiredContext(links: 2))
        #expect(try Policy(json: policy.jsonValue) == policy)
        let plain = try Policy(yaml: Self.minimal)
        guard case .object(let root) = plain.jsonValue, case .array(let rules)? = root["rules"], case .object(let rule)? = rules.first else {
            Issue.record("policy JSON has no rules")
            return
        }
        #expect(rule["context"] == nil)
        let bad = try #require(throws: PolicyError.self) {
            try Policy(yaml: Self.minimal.replacingOccurrences(of: "require: {groups: {sre: 1}}", with: "require: {groups: {sre: 1}}\n    context: {links: 99, diff: true}"))
        }
        #expect(bad.problems.count == 2, "\(bad.problems)")
    }

    @Test("Every problem is reported, each with its line")
    func problemsWithLines() throws {
        let yaml = """
            version: 1
            name: broken
            groups:
              sre: [alice]
              bad group: [x]
            rules:
              - name: a
                match: {environment: prod, colour: blue}
                require: {groups: {sre: 2, dba: 1}}
                ttl: forever
                on_timeout: explode
                escalation:
                  - {after: 2h, notify: [sre]}
              - name: a
                require: {total: 0}
            """
        let error = try #require(throws: PolicyError.self) { try Policy(yaml: yaml) }
        let found = error.problems.map { "\($0.line) \($0.message)" }
        func has(line: Int, _ fragment: String) -> Bool { error.problems.contains { $0.line == line && $0.message.contains(fragment) } }
        #expect(has(line: 5, "group names must be"), "\(found)")
        #expect(has(line: 8, "unknown key 'colour'"), "\(found)")
        #expect(has(line: 9, "has only 1 member"), "\(found)")
        #expect(has(line: 9, "group 'dba' is not defined"), "\(found)")
        #expect(has(line: 10, "'forever' is not a duration"), "\(found)")
        #expect(has(line: 11, "must be expire or deny"), "\(found)")
        #expect(has(line: 14, "is used twice"), "\(found)")
        #expect(error.problems.contains { $0.message.contains("requires no approvals") }, "\(found)")
        #expect(error.problems.count >= 8)
    }

    @Test("Malformed documents are refused, never crash", arguments: [
        "", "version: [", "- just\n- a list", "version: 2\nname: x\nrules: []", "version: 1\nname: x\nrules: nope",
        "version: 1\nname: x\nname: y\nrules: []", "version: 1\nname: &a x\nrules: *a",
    ])
    func malformed(yaml: String) {
        #expect(throws: PolicyError.self) { try Policy(yaml: yaml) }
    }

    @Test("Nine aliases of nine aliases, eleven deep (billion laughs): refused at once, not expanded")
    func billionLaughs() throws {
        // Before anchors were refused, walking this 1 KB file took over a minute and 2 GB.
        let yaml = String(decoding: try TestPaths.packageFile("Tools/fuzz/corpus/policy/billion-laughs.yaml"), as: UTF8.self)
        let error = try #require(throws: PolicyError.self) { try Policy(yaml: yaml) }
        #expect(error.problems.count == 12, "one problem per anchored line, nothing expanded")
        #expect(error.problems.allSatisfy { $0.message.contains("anchors and aliases") })
    }

    @Test("libyaml's message for a megabyte-long line is cut short")
    func longSyntaxErrorLine() throws {
        let yaml = "version: [" + String(repeating: "x, ", count: 400_000) + "\"unterminated"
        let error = try #require(throws: PolicyError.self) { try Policy(yaml: yaml) }
        #expect(error.problems.count == 1)
        #expect(error.problems[0].message.count <= 401)
    }

    @Test("1,000-deep nesting is refused by libyaml's nesting limit, without a crash")
    func deepNesting() {
        let yaml = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        #expect(throws: PolicyError.self) { try Policy(yaml: yaml) }
    }

    @Test func durationsAndGlobs() {
        #expect(DurationText.milliseconds("90s") == 90_000)
        #expect(DurationText.milliseconds("1h30m") == 5_400_000)
        #expect(DurationText.milliseconds("2d") == 172_800_000)
        for bad in ["", "10", "m", "1x", "-5m", "0s"] { #expect(DurationText.milliseconds(bad) == nil, "\(bad)") }
        #expect(DurationText.milliseconds(String(repeating: "999999999d", count: 200)) == nil, "a sum beyond Int64 is refused, not a trap")
        #expect(DurationText.format(5_400_000) == "1h30m")
        #expect(Glob("db/*").matches("db/orders"))
        #expect(!Glob("db/*").matches("cache/db"))
        #expect(Glob("autoscale.*").matches("autoscale.raise"))
        #expect(Glob("svc-??").matches("svc-eu"))
        #expect(!Glob("svc-??").matches("svc-eu1"))
        #expect(Glob("*").matches(""))
    }
}

extension TestPaths {
    static func packageFile(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: packageRoot.appendingPathComponent(path)))
    }
}

import Foundation
import TestSupport
