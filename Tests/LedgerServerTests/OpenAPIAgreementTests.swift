import ApprovalLedger
import Foundation
import LedgerChat
import LedgerServer
import Testing
import TestSupport

/// docs/openapi.yaml and the router describe the same API: every route the server registers
/// is in the document, every operation of the document is a route, and the document the
/// server embeds (and serves at /openapi.yaml) is that file.
@Suite("docs/openapi.yaml matches the routes exactly")
struct OpenAPIAgreementTests {
    static let document = TestPaths.packageRoot.appendingPathComponent("docs/openapi.yaml")

    /// (METHOD, path) of every operation: the `paths:` keys at two spaces, the methods at four.
    static func operations(_ text: String) -> Set<String> {
        var found: Set<String> = []
        var inPaths = false
        var path: String?
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") { inPaths = line == "paths:"; continue }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), let path {
                let key = line.dropFirst(4).prefix { $0 != ":" }
                if methods.contains(String(key)) { found.insert(key.uppercased() + " " + path) }
            }
        }
        return found
    }

    @Test func documentAndRouterAgreeBothWays() async throws {
        let directory = try TemporaryDirectory()
        let key = try Ed25519PrivateKey()
        let ledger = try await Ledger.create(at: directory.file("x.ledger"), root: Signer(identity: "root", key: key))
        // With the webhook and Slack extensions, so their routes are held to the document too.
        let slack = SlackGateway(
            configuration: SlackConfiguration(signingSecret: [1], botToken: "xoxb-x", team: "T1", defaultChannel: "C1", publicURL: "https://ledger.example.com"))
        let webhooks = WebhookExtension(configuration: WebhookConfiguration(subscriptions: []))
        let server = LedgerServer(ledger: ledger, serverSigner: Signer(identity: "root", key: key), options: ServerOptions(extensions: [webhooks, slack]))
        let routes = Set(server.routes.map { "\($0.method.rawValue) \($0.path)" })
        #expect(routes.count == server.routes.count, "a route is registered twice")
        let documented = Self.operations(try String(contentsOf: Self.document, encoding: .utf8))
        #expect(documented.count == 31)
        #expect(routes.subtracting(documented).isEmpty, "routes missing from docs/openapi.yaml: \(routes.subtracting(documented).sorted())")
        #expect(documented.subtracting(routes).isEmpty, "documented operations the server lacks: \(documented.subtracting(routes).sorted())")
    }

    @Test func theEmbeddedDocumentIsTheFile() throws {
        #expect(OpenAPIDocument.bytes == Array(try Data(contentsOf: Self.document)))
    }
}
