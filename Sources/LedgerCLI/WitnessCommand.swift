import ApprovalLedger
import ArgumentParser
import Foundation

extension LedgerTool {
    struct WitnessCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "witness",
            abstract: "Run a C2SP transparency-log witness: cosign checkpoints of logs it trusts.",
            discussion: """
                A witness remembers, for each log it trusts, the latest checkpoint it cosigned, and \
                cosigns a newer one only with a consistency proof from that one: so no log can show \
                it two different histories. State lives in a directory (--state); `ledger serve \
                --witness DIR` answers the C2SP tlog-witness HTTP protocol from the same \
                directory. docs/WITNESS.md describes running one.

                Examples:
                  ledger key generate --out witness.pem
                  ledger witness init --state wit --name witness.example/w1 --key witness.pem
                  ledger witness add-log --state wit --origin approval-ledger/LEDGER-ID \\
                      --log-key 'approval-ledger/LEDGER-ID+1a2b3c4d+AbCd…'
                  ledger witness cosign --state wit --key witness.pem --old 0 ops.checkpoint
                  ledger witness key --state wit
                """,
            subcommands: [Init.self, Key.self, AddLog.self, Logs.self, Cosign.self])
    }
}

/// `--state`, shared by the witness subcommands.
struct WitnessStateOption: ParsableArguments {
    @Option(name: .customLong("state"), help: ArgumentHelp("The witness's state directory.", valueName: "dir"))
    var path: String

    var directory: WitnessDirectory { WitnessDirectory(path: path) }
}

extension LedgerTool.WitnessCommand {
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a directory a witness with a name and a key.",
            discussion: """
                Records the witness's name and its cosigner verifier key in DIR/witness.json; the \
                private key stays where it is (give it to `cosign` and `serve --witness-key`). The \
                name goes on every cosignature line: a schema-less URL such as witness.example/w1. \
                Use a key for this witness only, not the ledger's or the server's.

                Example:
                  ledger witness init --state wit --name witness.example/w1 --key witness.pem
                """)

        @OptionGroup var state: WitnessStateOption
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The witness's name on its cosignatures.", valueName: "name")) var name: String
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                guard NoteVerifierKey.isValidName(name) else {
                    throw ValidationError("'\(TerminalText.field(name, limit: 80))' is not a key name: printable, without spaces or '+'")
                }
                let key = CosignerKey(name: name, publicKey: try global.privateKey().publicKey)
                _ = try WitnessDirectory.create(path: state.path, identity: WitnessIdentity(cosignerKey: key))
                printCosignerKey(key, format: format)
            }
        }
    }

    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the witness's verifier key, the string log clients trust it by.",
            discussion: """
                From a witness directory (--state), or from a private key and a name (--key, \
                --name). The key has signature type 0x04 (Ed25519 cosignature/v1).

                Examples:
                  ledger witness key --state wit
                  ledger witness key --key witness.pem --name witness.example/w1 --format json
                """)

        @Option(name: .customLong("state"), help: ArgumentHelp("The witness's state directory.", valueName: "dir")) var statePath: String?
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The witness's name (with --key).", valueName: "name")) var name: String?
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                if let statePath {
                    printCosignerKey(try WitnessDirectory(path: statePath).identity().cosignerKey, format: format)
                    return
                }
                guard let name, NoteVerifierKey.isValidName(name) else {
                    throw ValidationError("give --state DIR, or --key KEY with --name NAME (printable, without spaces or '+')")
                }
                printCosignerKey(CosignerKey(name: name, publicKey: try global.privateKey().publicKey), format: format)
            }
        }
    }

    struct AddLog: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-log",
            abstract: "Trust a log: its origin and the verifier key(s) its checkpoints are signed with.",
            discussion: """
                The witness starts at size 0 for the log: the first checkpoint it cosigns needs no \
                proof. For an approval ledger, `ledger checkpoint --format json` prints the origin \
                and verifier key.

                Example:
                  ledger witness add-log --state wit --origin approval-ledger/LEDGER-ID \\
                      --log-key 'approval-ledger/LEDGER-ID+1a2b3c4d+AbCd…'
                """)

        @OptionGroup var state: WitnessStateOption
        @Option(help: ArgumentHelp("The log's checkpoint origin line.", valueName: "origin")) var origin: String
        @Option(name: .customLong("log-key"), help: ArgumentHelp("A verifier key of the log (repeatable).", valueName: "vkey"))
        var logKeys: [String] = []
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                guard !logKeys.isEmpty else { throw ValidationError("give at least one --log-key") }
                guard !origin.isEmpty, !origin.utf8.contains(where: { $0 < 0x20 }) else {
                    throw ValidationError("--origin is a non-empty line without control characters")
                }
                let keys = try logKeys.map { try NoteVerifierKey($0) }
                let log = WitnessedLog(origin: origin, logKeys: keys)
                try state.directory.addLog(log)
                printLog(log, format: format)
            }
        }
    }

    struct Logs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the logs the witness trusts, with the size and root it last cosigned.",
            discussion: "Example:\n  ledger witness logs --state wit --format json")

        @OptionGroup var state: WitnessStateOption
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                _ = try state.directory.identity()
                let logs = try state.directory.logs()
                switch format {
                case .json: Output.json(.array(logs.map(logJSON)))
                case .text: logs.forEach { printLog($0, format: .text) }
                }
            }
        }
    }
}

func printCosignerKey(_ key: CosignerKey, format: OutputFormat) {
    switch format {
    case .json: Output.json(["name": .string(key.name), "verifierKey": .string(key.description)])
    case .text: Output.line(key.description)
    }
}

func logJSON(_ log: WitnessedLog) -> JSONValue {
    [
        "origin": .string(log.origin), "logKeys": .array(log.logKeys.map { .string($0.description) }),
        "size": .string(String(log.size)), "rootHash": log.rootHash.map { .string(Base64.encode($0)) } ?? .null,
    ]
}

func printLog(_ log: WitnessedLog, format: OutputFormat) {
    switch format {
    case .json: Output.json(logJSON(log))
    case .text:
        let root = log.rootHash.map { Base64.encode($0) } ?? "(nothing cosigned yet)"
        Output.line("\(log.origin)  size \(log.size)  root \(root)  keys \(log.logKeys.map(\.description).joined(separator: ", "))")
    }
}
