import ApprovalLedger
import ArgumentParser
import Foundation

extension LedgerTool {
    struct PolicyCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "policy",
            abstract: "Check, publish, show, simulate and explain approval policies (YAML; see docs/POLICY.md).",
            subcommands: [Check.self, Publish.self, Show.self, Simulate.self, Explain.self])
    }
}

extension LedgerTool.PolicyCommand {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a policy file and report every problem with its line.",
            discussion: "Exit 0 when valid, 1 when it has problems.\n\nExample:\n  ledger policy check policy.yaml")

        @Argument(help: "The YAML policy file.") var file: String
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            var problems: [PolicyProblem] = []
            try await CommandRunner.run {
                do {
                    let policy = try Policy(yaml: try PolicyFile.read(file))
                    switch format {
                    case .json: Output.json(["valid": true, "name": .string(policy.name), "rules": .integer(Int64(policy.rules.count)), "hash": .string(policy.contentHash.hex), "problems": []])
                    case .text: Output.line("\(TerminalText.field(file)): valid policy '\(TerminalText.field(policy.name))', \(policy.rules.count) rules, hash \(policy.contentHash.hex)")
                    }
                } catch let error as PolicyError {
                    problems = error.problems
                    switch format {
                    case .json:
                        Output.json(["valid": false, "problems": .array(problems.map { ["line": .integer(Int64($0.line)), "path": .string($0.path), "message": .string($0.message)] })])
                    case .text:
                        for problem in problems { Output.line("\(TerminalText.field(file)):\(PolicyText.problem(problem))") }
                    }
                }
            }
            if !problems.isEmpty { throw ExitCode(1) }
        }
    }

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish a policy into the ledger (admin): new requests are judged under it.",
            discussion: "Example:\n  ledger --key root.pem policy publish policy.yaml")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The YAML policy file.") var file: String
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                let policy = try Policy(yaml: try PolicyFile.read(file))
                let ledger = try await global.openWritable()
                let published = try await Approvals(ledger: ledger).publish(policy, signer: try await global.signer(for: ledger))
                switch format {
                case .json: Output.json(["name": .string(policy.name), "version": .integer(published.version), "hash": .string(published.hash)])
                case .text: Output.line("published policy '\(TerminalText.field(policy.name))' as version \(published.version) (hash \(published.hash))")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the policy in force: its version, hash and normalized content.",
            discussion: "Example:\n  ledger policy show --format json")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                guard let published = try await Approvals(ledger: try await global.openWritable(readOnly: true)).currentPolicy() else {
                    throw LedgerError(.notFound, "no policy has been published in this ledger; run `ledger policy publish FILE`")
                }
                switch format {
                case .json:
                    Output.json(["version": .integer(published.version), "hash": .string(published.hash), "content": published.policy.jsonValue])
                case .text:
                    let policy = published.policy
                    Output.line("policy '\(TerminalText.field(policy.name))' version \(published.version), hash \(published.hash)")
                    for (name, members) in policy.groups.sorted(by: { $0.key < $1.key }) { Output.line("  group \(name): \(members.joined(separator: ", "))") }
                    for rule in policy.rules {
                        let needs = rule.requiredByGroup.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: " + ")
                        Output.line("  rule \(rule.name): \(rule.match.actions.map(\.pattern).joined(separator: "|")) in \(rule.match.environments.map(\.pattern).joined(separator: "|")) on \(rule.match.resources.map(\.pattern).joined(separator: "|")), risk \(rule.match.riskMin)-\(rule.match.riskMax) → \(needs.isEmpty ? "" : needs + ", ")total \(rule.requiredTotal), ttl \(DurationText.format(rule.ttl))")
                    }
                }
            }
        }
    }
}

/// Reads a policy file, a little beyond the largest a policy may be, so the policy reader can
/// say it is too large.
enum PolicyFile {
    static func read(_ path: String) throws -> [UInt8] {
        try InputFile.read(path, what: "policy file", limit: Policy.maxYAMLBytes)
    }
}
