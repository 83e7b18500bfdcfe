import Foundation
import ApprovalLedger
import ArgumentParser

extension LedgerTool {
    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate, show, register, revoke and list Ed25519 keys.",
            subcommands: [Generate.self, Show.self, Register.self, Revoke.self, List.self])
    }
}

extension LedgerTool.Key {
    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate an Ed25519 key pair as PEM files.",
            discussion: """
                The private key is written as PEM PKCS#8 with mode 0600, the public key as PEM SPKI \
                beside it. Both are readable by `openssl pkey`. Existing files are never overwritten.

                Example:
                  ledger key generate --out alice.pem    # alice.pem and alice.pem.pub
                """)

        @Option(help: ArgumentHelp("Where to write the private key.", valueName: "path")) var out: String
        @Option(help: ArgumentHelp("Where to write the public key (default: <out>.pub).", valueName: "path")) var publicOut: String?
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                let key = try Ed25519PrivateKey()
                let publicPath = publicOut ?? out + ".pub"
                try KeyFile.writePrivateKey(key, toPath: out)
                try KeyFile.writePublicKey(key.publicKey, toPath: publicPath)
                printKey(key.publicKey, format: format, extra: ["privateKeyPath": .string(out), "publicKeyPath": .string(publicPath)])
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a key's id and public key.",
            discussion: """
                Reads a private key (PEM PKCS#8, which must not be readable by others) or a public \
                key (PEM SPKI).

                Examples:
                  ledger key show alice.pem.pub
                  ledger --key alice.pem key show --format json
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("A PEM key file (default: --key).", valueName: "file")) var file: String?
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                let path = try file ?? global.resolvedKeyPath()
                let text = String(decoding: try KeyFileText.read(path), as: UTF8.self)
                let publicKey = text.contains("PRIVATE KEY")
                    ? try KeyFile.readPrivateKey(atPath: path).publicKey
                    : try KeyFile.readPublicKey(atPath: path)
                printKey(publicKey, format: format, extra: [:])
            }
        }
    }

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bind a public key to an identity with capabilities (admin only).",
            discussion: """
                Appends a key.registered event signed by --key, which must hold the admin capability. \
                Capabilities: \(Capability.all.map(\.rawValue).joined(separator: ", ")); default \
                \(Capability.defaults.map(\.rawValue).joined(separator: ", ")).

                Example:
                  ledger --ledger ops.ledger --key root.pem key register --identity alice \\
                      --public-key alice.pem.pub --capability request --capability approve
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The identity the key speaks for.", valueName: "id")) var identity: String
        @Option(help: ArgumentHelp("The PEM public key file.", valueName: "file")) var publicKey: String
        @Option(name: .customLong("capability"), help: ArgumentHelp("A capability to grant (repeatable).", valueName: "name"))
        var capabilities: [String] = []
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                var granted: [Capability] = []
                for name in capabilities {
                    let capability = Capability(rawValue: name)
                    guard Capability.all.contains(capability) else {
                        throw ValidationError("unknown capability '\(name)'; use \(Capability.all.map(\.rawValue).joined(separator: ", "))")
                    }
                    granted.append(capability)
                }
                let ledger = try await global.openWritable()
                let key = try KeyFile.readPublicKey(atPath: publicKey)
                let event = try await ledger.registerKey(
                    key, identity: identity, capabilities: granted.isEmpty ? Capability.defaults : granted,
                    signer: try await global.signer(for: ledger))
                printEvent(event, format: format, summary: "registered key \(key.keyID) for \(identity)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a key from the next event on (admin only).",
            discussion: """
                Events the key signed before the revocation stay valid; anything it signs after \
                fails verification.

                Example:
                  ledger --ledger ops.ledger --key root.pem \\
                      key revoke ed25519:3d40… --reason "laptop lost"
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The key id to revoke.", valueName: "key-id")) var keyID: String
        @Option(help: "Why the key is revoked.") var reason: String
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                guard let id = KeyID(keyID) else {
                    throw ValidationError("'\(keyID)' is not a key id (ed25519: followed by 32 lowercase hex digits)")
                }
                let ledger = try await global.openWritable()
                let event = try await ledger.revokeKey(id, reason: reason, signer: try await global.signer(for: ledger))
                printEvent(event, format: format, summary: "revoked key \(id)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the keys registered in a ledger.",
            discussion: "Example:\n  ledger --ledger ops.ledger key list --format json")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                let keys = try await global.openWritable(readOnly: true).keys()
                switch format {
                case .json:
                    Output.json(.array(keys.map { key in
                        [
                            "keyId": .string(key.keyID.rawValue), "identity": .string(key.identity),
                            "publicKey": .string(Hex.encode(key.publicKey.rawRepresentation)),
                            "capabilities": .array(key.capabilities.map { .string($0.rawValue) }),
                            "registeredSeq": .integer(key.registeredSeq), "revokedSeq": key.revokedSeq.map { .integer($0) } ?? .null,
                        ]
                    }))
                case .text:
                    Output.line("KEY ID                                    IDENTITY              CAPABILITIES               STATUS")
                    for key in keys {
                        let status = key.revokedSeq.map { "revoked at seq \($0)" } ?? "active since seq \(key.registeredSeq)"
                        Output.line("\(key.keyID.rawValue)  \(key.identity.padded(20))  \(key.capabilities.map(\.rawValue).joined(separator: ",").padded(25))  \(status)")
                    }
                }
            }
        }
    }
}

func printKey(_ key: Ed25519PublicKey, format: OutputFormat, extra: [String: JSONValue]) {
    switch format {
    case .json:
        var object = JSONObject()
        object["keyId"] = .string(key.keyID.rawValue)
        object["publicKey"] = .string(Hex.encode(key.rawRepresentation))
        object["publicKeyPem"] = .string(key.pemRepresentation)
        for (name, value) in extra { object[name] = value }
        Output.json(.object(object))
    case .text:
        Output.line("key id      \(key.keyID)")
        Output.line("public key  \(Hex.encode(key.rawRepresentation))")
        for (name, value) in extra.sorted(by: { $0.key < $1.key }) { Output.line("\(name.padded(11)) \(value.stringValue ?? "")") }
        Output.line(key.pemRepresentation, terminator: "")
    }
}

func printEvent(_ event: RecordedEvent, format: OutputFormat, summary: String) {
    switch format {
    case .json: Output.json(EventJSON.value(event))
    case .text: Output.line("\(summary) (seq \(event.envelope.seq), hash \(event.hash.hex.prefix(16))…)")
    }
}

extension String {
    func padded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

/// Reads the start of a key file's text to tell a private key from a public one (only a
/// regular file, and only its first bytes: see `InputFile`).
enum KeyFileText {
    static func read(_ path: String) throws -> [UInt8] {
        Array(try InputFile.read(path, what: "key file", limit: 64).prefix(64))
    }
}
