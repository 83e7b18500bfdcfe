import ApprovalLedger
import Hummingbird
import LedgerServer

/// `GET /v1/webhooks` and `POST /v1/webhooks/{name}/enable`.
///
/// Listing needs credentials (anonymous callers are refused even with --allow-anonymous: the
/// URLs name receivers inside the operator's network, and their errors describe them).
/// Enabling needs `append`, the capability of the services that operate the ledger's
/// integrations; `admin` cannot be held by a token, and re-enabling sends nothing that the
/// subscription's filter did not already allow.
struct WebhookRoutes: Sendable {
    let subscriptions: [WebhookSubscription]
    let environment: ServerEnvironment

    func register(_ routes: inout RouteTable) {
        routes.add(.get, "/v1/webhooks", list)
        routes.add(.post, "/v1/webhooks/{name}/enable", enable)
    }

    @Sendable func list(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try context.requireAuthenticated()
        var items: [JSONValue] = []
        for subscription in subscriptions {
            items.append(try await WebhookStatus.read(subscription, in: environment.ledger).jsonValue)
        }
        var object = JSONObject()
        object["webhooks"] = .array(items)
        return JSONResponse.make(.object(object))
    }

    @Sendable func enable(_ request: Request, _ context: ServerContext) async throws -> Response {
        let caller = try context.requireCapability(.append)
        let name = try context.parameters.require("name")
        guard let subscription = subscriptions.first(where: { $0.name == name }) else {
            throw Problem(status: .notFound, code: "not-found", detail: "no webhook subscription named '\(Identifier.printable(name))'; GET /v1/webhooks lists them")
        }
        let ledger = environment.ledger
        let stored = try await ledger.webhookDelivery(named: name)
        let state = if let stored { stored } else { try await ledger.openWebhookDelivery(name: name, fromStart: subscription.fromStart) }
        if state.disabledAt != nil {
            try await ledger.saveWebhookDelivery(state.enabled())
            environment.logger.info("webhook \(name): re-enabled by \(caller.identity), resuming after seq \(state.cursor)")
        }
        return JSONResponse.make(try await WebhookStatus.read(subscription, in: ledger).jsonValue)
    }
}
