import ApprovalLedger
import ArgumentParser
import Foundation
import LedgerServer

extension LedgerTool {
    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create, list and revoke bearer tokens for `ledger serve`.",
            discussion: """
                A token lets a caller that cannot sign (a CI job, a service) use the server as \
                one identity with some capabilities, until it expires or is revoked. The ledger \
                file keeps only each secret's SHA-256; events the server appends for a token say \
                so (relayed via token:<name>) and are signed by the server's key.
                """,
            subcommands: [Create.self, List.self, Revoke.self])
    }
}

extension LedgerTool.Token {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print its secret (shown this once).",
            discussion: """
                Capabilities: \(BearerToken.grantable.map(\.rawValue).joined(separator: ", ")) \
                (admin and clock stay with keys).

                Examples:
                  ledger token create --ledger ops.ledger --name ci-deployer --identity ci \\
                      --capability request --capability execute --expires-in 30d
                  export LEDGER_TOKEN=$(ledger token create --name grafana --identity metrics \\
                      --expires-in 90d)
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "A unique name (revocation and the ledger's `via` name it).") var name: String
        @Option(help: "The identity the token acts as.") var identity: String
        @Option(name: .customLong("capability"), help: ArgumentHelp("What it may do (repeatable; none: read only).", valueName: "capability"))
        var capabilities: [String] = []
        @Option(help: ArgumentHelp("How long it is valid: e.g. 12h, 30d (at most 366d).", valueName: "duration")) var expiresIn: String = "30d"
        @Option(help: "Output format: text (the secret alone) or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                guard Identifier.isValidToken(name) else {
                    throw ValidationError("--name must be \(Identifier.tokenRule)")
                }
                guard Identifier.isValidIdentity(identity) else {
                    throw ValidationError("--identity must be \(Identifier.identityRule)")
                }
                let wanted = try capabilities.map { text in
                    let capability = Capability(rawValue: text)
                    guard BearerToken.grantable.contains(capability) else {
                        throw ValidationError("a token's capability is one of \(BearerToken.grantable.map(\.rawValue).joined(separator: ", ")), not '\(TerminalText.field(text, limit: 40))'")
                    }
                    return capability
                }
                guard let milliseconds = DurationText.milliseconds(expiresIn), milliseconds > 0, milliseconds <= 366 * 86_400_000 else {
                    throw ValidationError("--expires-in must be a duration from 1s to 366d, e.g. 30d")
                }
                let ledger = try await global.openLedger()
                let secret = BearerToken.newSecret()
                let now = SystemClock.now()
                let token = AccessToken(
                    name: name, secretSHA256: BearerToken.hash(secret), identity: identity, capabilities: Array(Set(wanted)).sorted(),
                    createdAt: now, expiresAt: now.adding(milliseconds: milliseconds))
                try await ledger.insertToken(token)
                switch format {
                case .text: Output.line(secret)
                case .json:
                    var object = tokenJSON(token, now: now)
                    object["secret"] = .string(secret)
                    Output.json(.object(object))
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List tokens (never their secrets).",
            discussion: "Example:\n  ledger token list --ledger ops.ledger --format json")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                let tokens = try await global.openLedger(readOnly: true).tokens()
                let now = SystemClock.now()
                switch format {
                case .json: Output.json(.array(tokens.map { .object(tokenJSON($0, now: now)) }))
                case .text:
                    Output.line("NAME                 IDENTITY         CAPABILITIES               EXPIRES                   STATE")
                    for token in tokens {
                        Output.line("\(token.name.padded(20)) \(token.identity.padded(16)) \(token.capabilities.map(\.rawValue).joined(separator: ",").padded(26)) \(token.expiresAt.description.padded(25)) \(state(token, now: now))")
                    }
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a token: the server refuses it from its next request.",
            discussion: "Example:\n  ledger token revoke ci-deployer --ledger ops.ledger")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The token's name.") var name: String
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                let now = SystemClock.now()
                let token = try await global.openLedger().revokeToken(named: name, at: now)
                switch format {
                case .json: Output.json(.object(tokenJSON(token, now: now)))
                case .text: Output.line("revoked token \(token.name) (\(token.identity)) at \(token.revokedAt ?? now)")
                }
            }
        }
    }
}

private func state(_ token: AccessToken, now: Timestamp) -> String {
    if token.revokedAt != nil { return "revoked" }
    return token.isUsable(at: now) ? "active" : "expired"
}

private func tokenJSON(_ token: AccessToken, now: Timestamp) -> JSONObject {
    var object = JSONObject()
    object["name"] = .string(token.name)
    object["identity"] = .string(token.identity)
    object["capabilities"] = .array(token.capabilities.map { .string($0.rawValue) })
    object["createdAt"] = .string(token.createdAt.description)
    object["expiresAt"] = .string(token.expiresAt.description)
    object["revokedAt"] = token.revokedAt.map { .string($0.description) } ?? .null
    object["state"] = .string(state(token, now: now))
    return object
}
