import ApprovalLedger
import ArgumentParser
import Foundation
import Synchronization

extension LedgerTool {
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a ledger from realistic approval scenarios, verify it, and tell what happened.",
            discussion: """
                Creates keys for a small team, publishes the demo policy (written beside the ledger \
                as policy.yaml), and plays ten scenarios on a simulated clock: a canary promotion, a \
                production migration needing a DBA AND an SRE, a denied firewall change, an \
                autoscale needing Finance AND SRE, an escalated emergency, an expiry, a refused \
                self-approval, a failed execution rolled back, an auto-approved low-risk change and \
                a break-glass bypass; and a service's note naming a customer is erased by a \
                recorded redaction. Then it verifies the ledger.

                With --rounds N the ten approval scenarios are played N times, one after the other (about \
                40 events a round), for a bigger ledger to try exports and metrics on; appends then \
                use --durability normal (no fsync per commit).

                Examples:
                  ledger demo
                  ledger demo --dir /tmp/acme
                  ledger --ledger /tmp/acme/demo.ledger request list
                  ledger demo --dir /tmp/big --rounds 2500    # about 100,000 events
                """)

        @Option(help: "Where to write the ledger, keys and policy (default: a new temporary directory).") var dir: String?
        @Option(help: "How many times to play the ten scenarios.") var rounds = 1
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                if let dir { try Self.requireDirectoryOrNothing(dir) }
                let directory = try dir ?? Self.temporaryDirectory()
                let script = try await DemoScript.make(directory: directory, durability: rounds > 1 ? .normal : .full)
                let progress = rounds > 1 ? ProgressLine(label: "playing", total: Int64(rounds), unit: "rounds") : nil
                var lines: [DemoScript.Line] = []
                for round in 1...rounds {
                    lines = try await script.play(withErasure: round == 1)
                    progress?.update(Int64(round))
                }
                progress?.finish()
                let report = try Verifier().verify(script.ledger)
                switch format {
                case .json:
                    Output.json([
                        "directory": .string(directory), "ledger": .string(script.ledger.path),
                        "scenarios": .array(lines.map { ["title": .string($0.title), "requestId": .string($0.id), "status": .string($0.status), "story": .string($0.story)] }),
                        "verification": report.jsonValue(strict: false),
                    ])
                case .text:
                    Output.line("approval-ledger demo: \(directory)\(rounds > 1 ? " (\(rounds) rounds; the last one below)" : "")")
                    for (index, line) in lines.enumerated() {
                        Output.line("\(String(index + 1).leftPadded(2)). \(line.title.padded(24)) \(line.id.padded(14))  \(line.status.padded(8)) \(line.story)")
                    }
                    Output.line("verify: \(report.isVerified() ? "VERIFIED" : "NOT VERIFIED") — \(report.events) events, \(report.keysSeen) keys, \(report.signaturesChecked) signatures, \(Self.findingsText(report))")
                    Output.line("explore: ledger --ledger \(script.ledger.path) request list    (keys in \(directory)/keys)")
                }
                if !report.isVerified() { throw ExitCode(1) }
            }
        }

        /// "0 findings", or "0 findings, 1 note (payload-redacted)": notes never fail.
        static func findingsText(_ report: VerificationReport) -> String {
            let notes = report.findings.filter { $0.severity == .info }
            let text = "\(report.findings.count - notes.count) findings"
            guard !notes.isEmpty else { return text }
            let codes = Set(notes.map(\.code.rawValue)).sorted().joined(separator: ", ")
            return text + ", \(notes.count) note\(notes.count == 1 ? "" : "s") (\(codes))"
        }

        func validate() throws {
            guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
        }

        /// `--dir` may name a directory or nothing yet; a file there (a FIFO included) is refused
        /// with a sentence, not the file system's error.
        static func requireDirectoryOrNothing(_ path: String) throws {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { return }
            throw LedgerError(.alreadyExists, "'\(path)' exists and is not a directory; give --dir a new or an empty directory")
        }

        static func temporaryDirectory() throws -> String {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-demo-\(UUID().uuidString.prefix(8).lowercased())").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            return path
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

/// A clock the demo moves by hand, so escalations and expiries happen without waiting.
final class DemoClock: Sendable {
    private let time = Mutex(Timestamp("2026-11-02T09:00:00.000Z")!)

    func now() -> Timestamp { time.withLock { $0 } }

    func advance(minutes: Int64) {
        time.withLock { $0 = $0.adding(milliseconds: minutes * 60_000) }
    }
}
