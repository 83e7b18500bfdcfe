import ApprovalLedger
public import LedgerServer
public import ServiceLifecycle

/// The Slack app on `ledger serve` (`--slack FILE`, docs/CHAT.md): the signed routes Slack
/// calls (buttons, modals, `/approvals`) and the poster that keeps each request's message
/// current. It holds no approval logic: votes go through `SlackVoting` to the ledger's rules.
public struct SlackGateway: ServerExtension {
    let configuration: SlackConfiguration
    let api: SlackWebAPI
    /// The votes and links seam; the ledger's own unless a test gives another.
    let voting: (@Sendable (ServerEnvironment) -> any SlackVoting)

    public init(configuration: SlackConfiguration, voting: (@Sendable (ServerEnvironment) -> any SlackVoting)? = nil) {
        self.configuration = configuration
        self.api = SlackWebAPI(baseURL: configuration.apiURL, token: configuration.botToken)
        self.voting = voting ?? { LedgerSlackVoting(environment: $0) }
    }

    public var openPaths: Set<String> { [SlackRoutes.interactionsPath, SlackRoutes.commandsPath] }

    public func prepare(environment: ServerEnvironment) async throws {
        _ = try await SlackPoster.openCursor(in: environment.ledger)
    }

    public func register(_ routes: inout RouteTable, environment: ServerEnvironment) {
        let voting = voting(environment)
        SlackRoutes(
            configuration: configuration, signature: SlackRequestSignature(signingSecret: configuration.signingSecret),
            handler: SlackInteractionHandler(configuration: configuration, api: api, voting: voting, approvals: environment.approvals, logger: environment.logger),
            command: SlackCommand(configuration: configuration, voting: voting, approvals: environment.approvals)
        ).register(&routes)
    }

    public func services(environment: ServerEnvironment) -> [any Service] {
        [SlackPoster(configuration: configuration, api: api, voting: voting(environment), environment: environment)]
    }
}
