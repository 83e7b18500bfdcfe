import ApprovalLedger
import ArgumentParser

@main
struct LedgerTool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "A signed, hash-chained ledger of human approvals for risky operations.",
        discussion: """
            Every step is an immutable event in a SQLite file, SHA-256 chained to the one before \
            and Ed25519-signed by whoever appended it. `ledger verify` proves the record complete \
            and untouched.

            Exit codes: 0 success; 1 a negative answer (verify found problems, a request was \
            denied, expired or cancelled); 2 the command could not run (the message says why \
            and what to do); 3 the approval rules refused it (a refused vote or execution is \
            also recorded in the ledger); 64 bad usage; 124 `request wait` timed out (it exits 1 \
            when the request's deadline passes undecided: no vote can grant it any more).

            Examples (a first ledger):
              ledger key generate --out root.pem
              ledger --ledger ops.ledger --key root.pem init
              ledger --ledger ops.ledger log
              ledger --ledger ops.ledger checkpoint --out ops.checkpoint
              ledger --ledger ops.ledger verify --anchor ops.checkpoint
            """,
        version: ApprovalLedgerVersion.string,
        subcommands: [
            Demo.self, Init.self, Key.self, PolicyCommand.self, Request.self, Approve.self, Deny.self, Tick.self,
            Execute.self, Rollback.self, Recover.self, Metrics.self, Rebuild.self, Append.self, Log.self, CheckpointCommand.self,
            Verify.self, Prove.self, Export.self, Redact.self, Serve.self, Token.self, IdentityCommand.self, Webhook.self,
            WitnessCommand.self, Copy.self,
        ]
    )

    static func main() async {
        if let problem = RawArguments.utf8Problem() {
            Output.error("error: \(problem)")
            exit(withError: ExitCode.validationFailure)
        }
        await main(GlobalArguments.movedAfterSubcommand(Array(CommandLine.arguments.dropFirst())))
    }
}

/// Lets the global options (--ledger, --key, --as, …) come before the subcommand, as in
/// `ledger --ledger ops.ledger verify`: the parser reads them per subcommand, so they are moved
/// to the end of the argument list.
enum GlobalArguments {
    static let withValue: Set<String> = ["--ledger", "--server", "--key", "--as", "--durability", "--busy-timeout", "--max-file-size"]

    static func movedAfterSubcommand(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let name = String(argument.split(separator: "=", maxSplits: 1).first ?? "")
            guard withValue.contains(name) else { break }
            leading.append(argument)
            if !argument.contains("="), index + 1 < arguments.count {
                leading.append(arguments[index + 1])
                index += 1
            }
            index += 1
        }
        let rest = Array(arguments[index...])
        guard !leading.isEmpty else { return arguments }
        // Keep anything after "--" last, where it still means "positional".
        if let separator = rest.firstIndex(of: "--") {
            return Array(rest[..<separator]) + leading + Array(rest[separator...])
        }
        return rest + leading
    }
}
