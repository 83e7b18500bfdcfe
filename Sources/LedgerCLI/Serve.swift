import ApprovalLedger
import ArgumentParser
import Foundation
import LedgerChat
import LedgerServer

extension LedgerTool {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the ledger over HTTP: the JSON API under /v1 (docs/SERVER.md).",
            discussion: """
                Callers authenticate with a bearer token (`ledger token create`) or an HTTP \
                message signature by a registered key; without credentials only --allow-anonymous \
                lets them read. The server key (--key) must be registered with the capabilities \
                \(LedgerServer.requiredCapabilities.map(\.rawValue).joined(separator: ", ")): it \
                relays token callers' commands, and its sweeper appends escalations and expiries \
                as they fall due. Prints one line with the bound address when ready; SIGTERM \
                finishes in-flight requests and exits 0.

                With --witness DIR and --witness-key KEY it is also a C2SP tlog-witness: POST \
                /add-checkpoint cosigns checkpoints of the logs DIR trusts (`ledger witness`, \
                docs/WITNESS.md). The witness key is its own, never the server's --key: a \
                cosignature does not name its signer, so one key must serve one witness.

                With --webhooks FILE it delivers ledger events to the receivers the YAML file \
                subscribes (docs/WEBHOOKS.md): signed per Standard Webhooks with each \
                subscription's secret_file, in seq order, at least once, retried with backoff; \
                GET /v1/webhooks shows them.
                With --slack FILE it is also the Slack app (docs/CHAT.md): each new request is \
                posted to its rule's channel with Approve and Deny buttons and updated on every \
                change; POST /slack/interactions and /slack/commands (/approvals) are checked by \
                Slack's request signature. FILE is YAML naming the signing secret's and bot \
                token's files (mode 0600), never the secrets themselves.

                Plaintext HTTP is for loopback only: beyond it, put a TLS-terminating reverse \
                proxy in front (docs/SERVER.md), or pass --insecure-listen on a network you trust.

                Examples:
                  ledger key generate --out server.pem
                  ledger --key root.pem key register --identity ledger-server \\
                      --public-key server.pem.pub --capability append --capability approve \\
                      --capability clock --capability execute --capability relay \\
                      --capability request
                  ledger serve --ledger ops.ledger --key server.pem
                  ledger serve --ledger ops.ledger --key server.pem --listen 127.0.0.1:0
                  ledger serve --ledger ops.ledger --key server.pem \\
                      --witness wit --witness-key witness.pem
                  ledger serve --ledger ops.ledger --key server.pem --webhooks webhooks.yaml
                  ledger serve --ledger ops.ledger --key server.pem --slack slack.yaml
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Address to listen on, host:port ([v6]:port; port 0 picks one).", valueName: "host:port"))
        var listen: String = "127.0.0.1:8480"
        @Flag(help: "Let callers without credentials read (never write).") var allowAnonymous = false
        @Flag(help: "Allow plaintext HTTP on a non-loopback address (put a TLS proxy in front instead).") var insecureListen = false
        @Option(help: ArgumentHelp("Seconds a client may take to send a request body.", valueName: "seconds")) var readTimeout: Int = 10
        @Option(help: ArgumentHelp("Seconds an idle connection stays open.", valueName: "seconds")) var idleTimeout: Int = 60
        @Option(help: ArgumentHelp("Writes committed at once; more are answered 503 with Retry-After.", valueName: "n"))
        var maxInFlightWrites: Int = 64
        @Option(help: ArgumentHelp("Longest long-poll wait, in seconds.", valueName: "seconds")) var maxWait: Int = 300
        @Option(help: ArgumentHelp("Requests one requester may open per minute; more are answered 429.", valueName: "n"))
        var maxOpensPerMinute: Int = 120
        @Option(help: ArgumentHelp(
            "The scheme clients use to reach the server: https behind a TLS proxy. HTTP message signatures cover the URL the client signed.",
            valueName: "http|https"))
        var publicScheme: String = "http"
        @Option(help: ArgumentHelp("Also serve C2SP tlog-witness POST /add-checkpoint from this witness directory.", valueName: "dir"))
        var witness: String?
        @Option(help: ArgumentHelp("The witness's private key (with --witness; not the server's --key).", valueName: "path"))
        var witnessKey: String?
        @Option(help: ArgumentHelp("Deliver events to the webhook subscriptions of this YAML file (docs/WEBHOOKS.md).", valueName: "file"))
        var webhooks: String?
        @Option(help: ArgumentHelp("Also be the Slack app, configured by this YAML file (docs/CHAT.md).", valueName: "file"))
        var slack: String?

        func validate() throws {
            guard readTimeout >= 1, idleTimeout >= 1, maxWait >= 1 else { throw ValidationError("timeouts are whole seconds ≥ 1") }
            guard maxOpensPerMinute >= 1 else { throw ValidationError("--max-opens-per-minute must be at least 1") }
            guard maxInFlightWrites >= 1 else { throw ValidationError("--max-in-flight-writes must be at least 1") }
            guard ["http", "https"].contains(publicScheme) else { throw ValidationError("--public-scheme is http or https") }
            guard (witness == nil) == (witnessKey == nil) else { throw ValidationError("--witness and --witness-key go together") }
            let (host, _) = try ListenAddress.parse(listen)
            if !ListenAddress.isLoopback(host), !insecureListen {
                throw ValidationError(
                    "refusing to serve plaintext HTTP on \(listen), beyond loopback: tokens and requests would cross the network in clear. Listen on 127.0.0.1 behind a TLS-terminating reverse proxy (docs/SERVER.md), or pass --insecure-listen")
            }
        }

        func run() async throws {
            try await CommandRunner.run {
                let (host, port) = try ListenAddress.parse(listen)
                // A bad Slack configuration fails before the ledger is even opened.
                let slackGateway: [any ServerExtension] = try slack.map { [SlackGateway(configuration: try SlackConfiguration.load(path: $0))] } ?? []
                let ledger = try await global.openLedger()
                let signer = try await LedgerServer.serverSigner(key: try global.privateKey(), ledger: ledger)
                let limits = ServerLimits(
                    readTimeout: .seconds(readTimeout), idleTimeout: .seconds(idleTimeout), maxInFlightWrites: maxInFlightWrites, maxWait: .seconds(maxWait),
                    maxOpensPerMinute: maxOpensPerMinute)
                let witness = try openWitness(serverKey: signer.key)
                // Always installed, with no subscriptions without --webhooks, so the routes
                // docs/openapi.yaml describes are there on every server.
                let deliveries = try webhooks.map { try WebhookConfiguration(path: $0) } ?? WebhookConfiguration(subscriptions: [])
                let options = ServerOptions(
                    host: host, port: port, allowAnonymous: allowAnonymous, limits: limits,
                    signatures: MessageSignatureAuthenticator(scheme: publicScheme), witness: witness,
                    extensions: [WebhookExtension(configuration: deliveries)] + slackGateway)
                let server = LedgerServer(ledger: ledger, serverSigner: signer, options: options)
                let ledgerID = ledger.ledgerID
                try await server.run { host, port in
                    let shown = host.contains(":") ? "[\(host)]" : host
                    Output.line("ledger serve: listening on http://\(shown):\(port) (ledger \(ledgerID), server key of \(signer.identity)\(witness.map { ", witness \($0.identity.name)" } ?? ""))")
                }
            }
        }

        func openWitness(serverKey: Ed25519PrivateKey) throws -> Witness? {
            guard let witness, let witnessKey else { return nil }
            let key = try KeyFile.readPrivateKey(atPath: witnessKey)
            guard key.publicKey != serverKey.publicKey else {
                throw ValidationError("--witness-key is the server's --key: give the witness a key of its own (`ledger key generate`)")
            }
            return try Witness(directory: WitnessDirectory(path: witness), key: key)
        }
    }
}

/// `--listen` values.
enum ListenAddress {
    static func parse(_ text: String) throws -> (host: String, port: Int) {
        var host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw ValidationError("--listen takes host:port or [v6]:port, not '\(TerminalText.field(text, limit: 60))'")
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw ValidationError("--listen takes host:port, e.g. 127.0.0.1:8480, not '\(TerminalText.field(text, limit: 60))'")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        if host.isEmpty { host = "127.0.0.1" }
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw ValidationError("--listen port must be 0 to 65535, not '\(TerminalText.field(String(portText), limit: 20))'")
        }
        return (String(host), port)
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
