import ApprovalLedger
import HTTPTypes
import Hummingbird
import LedgerServer

/// `POST /slack/interactions` and `POST /slack/commands`, authenticated by Slack's request
/// signature instead of the server's credentials. An interaction is answered 200 at once
/// (Slack gives up after 3 s) and its work done after; a forged or stale request is 401 and
/// records nothing.
struct SlackRoutes: Sendable {
    let configuration: SlackConfiguration
    let signature: SlackRequestSignature
    let handler: SlackInteractionHandler
    let command: SlackCommand

    static let interactionsPath = "/slack/interactions"
    static let commandsPath = "/slack/commands"

    func register(_ routes: inout RouteTable) {
        routes.add(.post, Self.interactionsPath, interactions)
        routes.add(.post, Self.commandsPath, commands)
    }

    @Sendable func interactions(_ request: Request, _ context: ServerContext) async throws -> Response {
        let form = try await verifiedForm(request)
        guard let text = form["payload"], let payload = try? JSONParser.parse(text) else {
            throw Problem(status: .badRequest, code: "slack-payload-invalid", detail: "an interaction's body is payload=<JSON>")
        }
        let team = payload["team"]?["id"]?.stringValue ?? payload["user"]?["team_id"]?.stringValue
        guard team == configuration.team else { throw Self.otherTeam(team) }
        let retried = request.headers[Self.retryNum] != nil
        let handler = handler
        switch payload["type"]?.stringValue {
        case "block_actions":
            if let interaction = SlackInteraction(blockActions: payload) {
                Task { await handler.pressed(interaction, retried: retried) }
            }
        case "view_submission":
            if let view = payload["view"], let (modal, reason) = ReasonModal.submitted(view), let user = payload["user"]?["id"]?.stringValue, let team,
               let viewID = view["id"]?.stringValue
            {
                Task { await handler.submitted(modal, reason: reason, team: team, user: user, viewID: viewID) }
            }
        default:
            break
        }
        // An empty 200 acknowledges a button and closes a submitted modal.
        return Response(status: .ok)
    }

    @Sendable func commands(_ request: Request, _ context: ServerContext) async throws -> Response {
        let form = try await verifiedForm(request)
        guard form["team_id"] == configuration.team else { throw Self.otherTeam(form["team_id"]) }
        guard let user = form["user_id"] else { throw Problem(status: .badRequest, code: "slack-payload-invalid", detail: "a slash command carries user_id") }
        let answer = try await command.answer(team: configuration.team, user: user, text: form["text"] ?? "", now: SystemClock.now())
        return JSONResponse.make(answer)
    }

    /// The body's fields once its signature is checked.
    func verifiedForm(_ request: Request) async throws -> FormFields {
        var request = request
        let body = Array(buffer: try await request.collectBody(upTo: ServerLimits.maxBodyBytes))
        do {
            try signature.verify(
                timestamp: request.headers[Self.timestamp], signature: request.headers[Self.signatureHeader], body: body,
                now: SystemClock.now().millisecondsSinceEpoch / 1000)
        } catch {
            throw Problem(status: .unauthorized, code: error.code, detail: error.message)
        }
        guard let form = FormFields(body) else {
            throw Problem(status: .badRequest, code: "slack-payload-invalid", detail: "the body is not application/x-www-form-urlencoded UTF-8")
        }
        return form
    }

    static func otherTeam(_ team: String?) -> Problem {
        Problem(status: .forbidden, code: "slack-team-unknown", detail: "the request is from Slack workspace \(team.map { Identifier.printable($0) } ?? "(none)"), not the one this server serves")
    }

    static let timestamp = HTTPField.Name("X-Slack-Request-Timestamp")!
    static let signatureHeader = HTTPField.Name("X-Slack-Signature")!
    static let retryNum = HTTPField.Name("X-Slack-Retry-Num")!
}
