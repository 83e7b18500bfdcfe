import Foundation

/// An operation the scaling runs time as a `ledger` command on a finished ledger.
struct ScalingOperation: Sendable {
    /// The ledger an operation runs on.
    enum Subject: Sendable {
        /// Service events appended by one writer process (`Workload`): a few long streams.
        case serviceEvents
        /// Simulated approval traffic (`WorkflowWorkload`): many short request streams under a
        /// policy, with their projections.
        case workflow
    }

    var name: String
    /// The `ledger` subcommand; the operation is skipped when the binary lacks it.
    var subcommand: String
    var subject: Subject
    var plotted: Bool
    /// Arguments after `ledger` for the ledger at `path`; `scratch` is a directory for output files.
    var arguments: @Sendable (_ path: String, _ scratch: String) -> [String]
    /// Throws unless the command's standard output shows it covered `events` events; removes
    /// what the command wrote to `scratch`.
    var check: @Sendable (_ output: String, _ events: Int, _ scratch: String) throws -> Void

    /// The command as the docs show it.
    var command: String { (["ledger"] + arguments("L", "DIR")).joined(separator: " ") }

    static let all: [ScalingOperation] = [verify, export, workflowVerify, rebuild, metrics]

    static let verify = ScalingOperation(
        name: "verify", subcommand: "verify", subject: .serviceEvents, plotted: true,
        arguments: { path, _ in ["verify", "--ledger", path, "--format", "json"] },
        check: { output, events, _ in try checkVerified(output, events: events) })

    /// `ledger verify --since-checkpoint FILE` (the checkpoint lies in `scratch`).
    static let incrementalVerify = ScalingOperation(
        name: "verify --since-checkpoint", subcommand: "verify", subject: .serviceEvents, plotted: false,
        arguments: { path, scratch in ["verify", "--ledger", path, "--since-checkpoint", "\(scratch)/base.checkpoint", "--format", "json"] },
        check: { output, events, _ in try checkVerified(output, events: events) })

    /// The workflow ledger's verify also replays every request under its policy and holds the
    /// projections to a fresh replay.
    static let workflowVerify = ScalingOperation(
        name: "verify, workflow", subcommand: "verify", subject: .workflow, plotted: true,
        arguments: { path, _ in ["verify", "--ledger", path, "--format", "json"] },
        check: { output, events, _ in try checkVerified(output, events: events) })

    static let rebuild = ScalingOperation(
        name: "rebuild", subcommand: "rebuild", subject: .workflow, plotted: true,
        arguments: { path, _ in ["rebuild", "--ledger", path, "--format", "json"] },
        check: { output, _, _ in
            guard output.contains("\"eventsRead\"") else { throw BenchmarkError.invalidRun("`ledger rebuild` printed no eventsRead") }
        })

    /// Judged at the simulated end of the workflow (`--now`, added by the caller).
    static let metrics = ScalingOperation(
        name: "metrics", subcommand: "metrics", subject: .workflow, plotted: true,
        arguments: { path, _ in ["metrics", "--ledger", path, "--format", "json"] },
        check: { output, _, _ in
            guard output.contains("\"approvalLatency\"") else { throw BenchmarkError.invalidRun("`ledger metrics` printed no approvalLatency") }
        })

    static let export = ScalingOperation(
        name: "export jsonl", subcommand: "export", subject: .serviceEvents, plotted: true,
        arguments: { path, scratch in ["export", "--ledger", path, "--format", "jsonl", "--out", "\(scratch)/export.jsonl"] },
        check: { _, events, scratch in
            let file = "\(scratch)/export.jsonl"
            defer { try? FileManager.default.removeItem(atPath: file) }
            let lines = try lineCount(file)
            guard lines >= events else { throw BenchmarkError.invalidRun("`ledger export` wrote \(lines) lines for \(events) events") }
        })

    /// Reads `ledger verify --format json` output: verified, with every event walked and signed.
    static func checkVerified(_ output: String, events: Int) throws {
        guard let object = try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any],
              let summary = object["summary"] as? [String: Any]
        else { throw BenchmarkError.invalidRun("`ledger verify` printed no JSON report") }
        let walked = (summary["events"] as? NSNumber)?.intValue ?? -1
        let signed = (summary["signaturesChecked"] as? NSNumber)?.intValue ?? -1
        guard object["verified"] as? Bool == true, walked == events, signed == events else {
            throw BenchmarkError.invalidRun(
                "`ledger verify` verified=\(object["verified"] ?? "?"), walked \(walked) events and checked \(signed) signatures; expected \(events)")
        }
    }

    /// The subcommands `ledger --help` lists (indented names under SUBCOMMANDS:).
    static func subcommands(help: String) -> Set<String> {
        var names: Set<String> = []
        var inList = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("SUBCOMMANDS:") {
                inList = true
            } else if inList, line.hasPrefix("  "), !line.hasPrefix("   "), let name = line.split(separator: " ").first,
                      name.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) {
                names.insert(String(name))
            } else if inList, !line.isEmpty, !line.hasPrefix(" ") {
                inList = false
            }
        }
        return names
    }

    static func lineCount(_ path: String) throws -> Int {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw BenchmarkError.invalidRun("no file \(path)") }
        defer { try? handle.close() }
        var lines = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            lines += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
        return lines
    }
}
