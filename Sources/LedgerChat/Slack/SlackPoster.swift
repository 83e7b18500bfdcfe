import ApprovalLedger
import LedgerServer
import Logging
import ServiceLifecycle

/// The background service that keeps Slack showing the ledger: it reads the events appended
/// since its cursor (after each write the server makes, and at least once a second for other
/// writers), posts each new request to its rule's channel, updates the message on every change
/// of the request, mentions the escalation groups' linked members in the message's thread, and
/// reminds an overdue break-glass review once. Where each message is and the cursor live in
/// the side table `slack_messages` (outside the hash chain), so a restart neither reposts nor
/// forgets. When Slack fails, the cursor stays, and the same events are tried again.
struct SlackPoster: Service {
    let configuration: SlackConfiguration
    let api: SlackWebAPI
    let voting: any SlackVoting
    let environment: ServerEnvironment

    var ledger: Ledger { environment.ledger }
    var approvals: Approvals { environment.approvals }
    static let pageSize = 500

    func run() async throws {
        var lastProblem: String?
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                try await pass()
                lastProblem = nil
            } catch {
                // Logged once per distinct failure, not once a second.
                let text = String(describing: error)
                if text != lastProblem { environment.logger.error("slack: \(text); retrying") }
                lastProblem = text
            }
            await environment.waitForChange(upTo: .seconds(1))
        }
    }

    /// The seq the poster reads from next. A gateway added to an old ledger starts at its
    /// head, fixed before the server reports ready (`SlackGateway.prepare`): it must not post
    /// every request in history to the channel, nor miss one opened after the ready line.
    static func openCursor(in ledger: Ledger) async throws -> Int64 {
        if let saved = try await ledger.slackCursor() { return saved }
        let cursor = try await ledger.head().size + 1
        try await ledger.setSlackCursor(cursor)
        return cursor
    }

    /// Renders everything appended since the cursor, then reminds overdue reviews.
    func pass() async throws {
        var cursor = try await Self.openCursor(in: ledger)
        while true {
            let events = try await ledger.events(from: cursor, limit: Self.pageSize)
            guard let last = events.last else { break }
            var touched: [String] = []
            var escalations: [(id: String, groups: [String])] = []
            for event in events {
                let envelope = event.envelope
                guard !envelope.stream.hasPrefix("$"), ApprovalEvents.all.contains(envelope.type) else { continue }
                if !touched.contains(envelope.stream) { touched.append(envelope.stream) }
                if envelope.type == ApprovalEvents.escalated, let payload = try? event.payload() {
                    // A step usually notifies the groups it adds: each is named once.
                    var groups: [String] = []
                    for group in ((payload["notify"]?.arrayValue ?? []) + (payload["addGroups"]?.arrayValue ?? [])).compactMap(\.stringValue) where !groups.contains(group) {
                        groups.append(group)
                    }
                    escalations.append((envelope.stream, groups))
                }
            }
            for id in touched { try await render(id) }
            for escalation in escalations { try await announceEscalation(escalation.id, groups: escalation.groups) }
            cursor = last.envelope.seq + 1
            try await ledger.setSlackCursor(cursor)
            if events.count < Self.pageSize { break }
        }
        try await remindOverdueReviews()
    }

    /// Posts or updates the message of `id` when it shows an older version.
    func render(_ id: String) async throws {
        guard let state = try await approvals.request(id) else { return }
        let saved = try await ledger.slackMessage(for: id)
        if let saved, saved.renderedVersion >= state.version { return }
        let message = RequestMessage(state: state, needs: try await approvals.stillNeeded(id), publicURL: configuration.publicURL, now: SystemClock.now())
        if let saved {
            try await api.update(channel: saved.channel, ts: saved.ts, message: message.jsonValue)
            var updated = saved
            updated.renderedVersion = state.version
            try await ledger.saveSlackMessage(updated)
        } else {
            let posted = try await api.postMessage(channel: configuration.channel(forRule: state.ruleName), message: message.jsonValue)
            try await ledger.saveSlackMessage(SlackMessageRecord(requestID: id, channel: posted.channel, ts: posted.ts, renderedVersion: state.version))
        }
    }

    /// A thread reply under the request's message that mentions the escalation's groups.
    func announceEscalation(_ id: String, groups: [String]) async throws {
        guard let saved = try await ledger.slackMessage(for: id) else { return }
        let mentions = try await mentions(of: groups)
        let text = ":arrow_double_up: Escalated to \(groups.map(SlackText.escaped).joined(separator: ", "))" + (mentions.isEmpty ? "" : ": " + mentions.joined(separator: " "))
        _ = try await api.postMessage(channel: saved.channel, message: ["text": .string(text)], threadTs: saved.ts)
    }

    /// Reminds each break-glass review that is overdue, once, in the request's thread.
    func remindOverdueReviews() async throws {
        let now = SystemClock.now()
        for row in try await approvals.list(status: [.bypassed]) {
            guard var saved = try await ledger.slackMessage(for: row.requestID), !saved.reviewReminded,
                  let state = try await approvals.request(row.requestID), state.reviewOverdue(at: now)
            else { continue }
            let reviewers = try await approvals.currentPolicy()?.policy.rule(named: state.ruleName)?.breakGlass?.reviewers ?? []
            let mentions = try await mentions(of: reviewers)
            let text = ":warning: The break-glass review of `\(SlackText.escaped(state.id))` is overdue"
                + (mentions.isEmpty ? "" : ": " + mentions.joined(separator: " ")) + ". Close it with `ledger request review \(state.id) --outcome accepted|rejected --reason …`."
            _ = try await api.postMessage(channel: saved.channel, message: ["text": .string(text)], threadTs: saved.ts)
            let message = RequestMessage(state: state, needs: nil, publicURL: configuration.publicURL, now: now)
            try await api.update(channel: saved.channel, ts: saved.ts, message: message.jsonValue)
            saved.reviewReminded = true
            try await ledger.saveSlackMessage(saved)
        }
    }

    /// `<@U…>` for each member of `groups` whose identity is linked to an account of this workspace.
    func mentions(of groups: [String]) async throws -> [String] {
        guard let policy = try await approvals.currentPolicy()?.policy else { return [] }
        var members: [String] = []
        for group in groups { for member in policy.members(of: group).sorted() where !members.contains(member) { members.append(member) } }
        var mentions: [String] = []
        let prefix = "slack:\(configuration.team)/"
        for member in members {
            for account in try await voting.accounts(of: member) where account.hasPrefix(prefix) {
                mentions.append("<@\(account.dropFirst(prefix.count))>")
            }
        }
        return mentions
    }
}
