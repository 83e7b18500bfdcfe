import ApprovalLedger
import ArgumentParser
import Foundation

extension LedgerTool {
    struct Request: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open, inspect, wait for, comment on and cancel approval requests.",
            subcommands: [Open.self, Show.self, List.self, Wait.self, Comment.self, Cancel.self, Bypass.self, Review.self])
    }
}

/// The flags that describe what a request asks for, shared by `open` and `bypass`.
struct RequestContent: ParsableArguments {
    @Option(help: "What will be done, e.g. deploy.promote, db.migrate, firewall.open.") var action: String
    @Option(help: "What it is done to, e.g. svc/checkout or db/orders.") var resource: String
    @Option(name: .customLong("env"), help: "The environment, e.g. prod, staging.") var environment: String
    @Option(help: "One line a reviewer reads first.") var summary: String
    @Option(name: .customLong("link"), help: "Context link: diff, runbook, dashboard (repeatable).") var links: [String] = []
    @Option(help: "SHA-256 (hex) of the exact change; the grant is bound to it.") var changeDigest: String?
    @Option(help: "Release or correlation id.") var release: String?
    @Option(name: .customLong("risk"), help: ArgumentHelp("A risk input FACTOR=VALUE (repeatable).", valueName: "factor=value"))
    var risk: [String] = []
    @Option(help: "Use this request id instead of a generated one.") var id: String?

    func request() throws -> OpenRequest {
        OpenRequest(
            requestID: id ?? Approvals.newRequestID(), action: action, resource: resource, environment: environment,
            summary: summary, links: links, changeDigest: changeDigest, release: release, riskInputs: try Self.riskInputs(risk))
    }

    /// `--risk FACTOR=VALUE` pairs as a request's risk inputs (also `policy explain`'s).
    static func riskInputs(_ pairs: [String]) throws -> [String: String] {
        var inputs: [String: String] = [:]
        for pair in pairs {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { throw ValidationError("--risk takes FACTOR=VALUE, not '\(pair)'") }
            guard inputs[parts[0]] == nil else { throw ValidationError("--risk \(parts[0]) is given twice; give each risk input once") }
            inputs[parts[0]] = parts[1]
        }
        return inputs
    }
}

/// `--timeout` values: a duration such as 90s, 30m, 2h, or a number of seconds.
func parseTimeout(_ text: String) throws -> Duration {
    if let seconds = Double(text), seconds >= 0 { return .milliseconds(Int64(seconds * 1000)) }
    guard let milliseconds = DurationText.milliseconds(text) else {
        throw ValidationError("'\(text)' is not a duration: use e.g. 90s, 30m, 2h, or seconds")
    }
    return .milliseconds(milliseconds)
}

/// Exit status for a decided request: 0 granted (or bypassed), 1 otherwise.
func exitStatus(for state: RequestState) -> ExitCode {
    state.status == .granted || state.status == .bypassed ? .success : ExitCode(1)
}

/// Reports a request a wait left undecided (`timed-out` or `deadline-passed`): in JSON, the
/// request as it stands with `wait` (the outcome) and `stillNeeded` (what its rule still
/// needs), so a script always gets an object on stdout; in text, what it needs on stderr.
func reportUnsettled(_ error: ApprovalError, id: String, approvals: Approvals, format: OutputFormat) async {
    let state = try? await approvals.request(id)
    let needs = try? await approvals.stillNeeded(id)
    switch format {
    case .json:
        var object = JSONObject()
        if case .object(let fields)? = state?.jsonValue { object = fields }
        object["requestId"] = .string(id)
        object["status"] = .string(state?.status.rawValue ?? "pending")
        object["wait"] = .string(error.code)
        object["stillNeeded"] = needs?.jsonValue ?? .null
        Output.json(.object(object))
    case .text:
        if let needs { Output.error("still pending: \(TerminalText.field(needs.summary)); deadline \(needs.deadline)") }
    }
}

extension LedgerTool.Request {
    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open an approval request and print its id.",
            discussion: """
                The current policy scores its risk and picks the rule that governs it; a low-risk \
                request may be granted (or a very risky one denied) at once. With --wait, waits for \
                the decision like `request wait`: exit 0 granted, 1 denied/expired/cancelled or \
                pending at its deadline, 124 timed out — a CI step that pauses until a human \
                decides.

                Refused before the rules (exit 3, invalid-request, nothing recorded): a blank \
                --summary or --link, and a --risk input the policy's risk model does not know \
                or a value it does not map (the message lists what it takes).

                Examples:
                  ledger request open --action db.migrate --resource db/orders \\
                      --env prod --summary "add index on orders.created_at" \\
                      --link https://git.example/pr/42 --risk blast_radius=40 \\
                      --change-digest $(sha256sum migration.sql | cut -c1-64)
                  id=$(ledger request open --action deploy.promote \\
                      --resource svc/checkout --env prod \\
                      --summary "canary 10% -> 100%" --wait --timeout 30m)
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var content: RequestContent
        @Flag(help: "Wait for the decision.") var wait = false
        @Option(help: "With --wait: give up after this long (e.g. 30m; default 1h).") var timeout: String = "1h"
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            var final: RequestState?
            var opened: (RequestState, Approvals)?
            if let remote = try global.remote() { return try await openRemotely(remote) }
            try await CommandRunner.run {
                let ledger = try await global.openWritable()
                let approvals = Approvals(ledger: ledger)
                var state = try await approvals.open(try content.request(), signer: try await global.signer(for: ledger))
                opened = (state, approvals)
                if format == .text { Output.line(state.id) } else if !wait { Output.json(state.jsonValue) }
                if wait {
                    if !state.status.isTerminal, format == .text {
                        Output.error("waiting for a decision on \(state.id) (rule \(state.ruleName))…")
                    }
                    state = try await approvals.awaitDecision(state.id, timeout: try parseTimeout(timeout))
                    if format == .json { Output.json(state.jsonValue) } else { Output.error("\(state.id) \(state.status.rawValue): \(TerminalText.field(state.decisionExplanation ?? ""))") }
                    final = state
                }
            } unsettled: { error in
                // A script reading JSON still learns the id of the request it must follow up.
                if let opened { await reportUnsettled(error, id: opened.0.id, approvals: opened.1, format: format) }
            }
            if let final { throw exitStatus(for: final) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a request: what it asks, its risk, rule, votes, decision, grant and executions.",
            discussion: "Example:\n  ledger request show req-3f9a1c0b2d --format json")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The request id.") var id: String
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            if let remote = try global.remote() { return try await showRemotely(remote) }
            try await CommandRunner.run {
                guard let state = try await Approvals(ledger: try await global.openWritable(readOnly: true)).request(id) else {
                    throw LedgerError(.notFound, "no request \(Identifier.printable(id)) in this ledger; `ledger request list` shows them")
                }
                switch format {
                case .json: Output.json(state.jsonValue)
                case .text: RequestText.print(state)
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List requests, newest first.",
            discussion: """
                Overdue break-glass reviews and pending requests past their deadline are flagged.

                Examples:
                  ledger request list --status pending
                  ledger request list --format json
                """)

        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("status"), help: "Only these statuses (repeatable): pending, granted, denied, expired, cancelled, bypassed.")
        var statuses: [String] = []
        @Option(help: "At most this many.") var limit: Int = 100
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            if let remote = try global.remote() { return try await listRemotely(remote) }
            try await CommandRunner.run {
                let wanted = try statuses.map { text in
                    guard let status = RequestState.Status(rawValue: text) else {
                        throw ValidationError("unknown status '\(text)'; use \(RequestState.Status.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    return status
                }
                let rows = try await Approvals(ledger: try await global.openWritable(readOnly: true)).list(status: wanted, limit: limit)
                let now = SystemClock.now().description
                switch format {
                case .json:
                    Output.json(.array(rows.map { $0.jsonValue(now: now) }))
                case .text:
                    Output.line("ID              STATUS     ENV      ACTION             RESOURCE              RISK  REQUESTER   OPENED")
                    for row in rows {
                        var flags: [String] = []
                        if row.status == "pending", row.deadline < now { flags.append("past deadline: run `ledger tick`") }
                        if let review = row.reviewDeadline, row.reviewClosedAt == nil { flags.append(review < now ? "REVIEW OVERDUE since \(review)" : "review due \(review)") }
                        if row.rejectedAttempts > 0 { flags.append("\(row.rejectedAttempts) rejected attempt\(row.rejectedAttempts == 1 ? "" : "s")") }
                        Output.line("\(row.requestID.padded(15)) \(row.status.padded(10)) \(row.environment.padded(8)) \(row.action.padded(18)) \(Identifier.printable(row.resource, limit: 21).padded(21)) \(String(row.riskScore).padded(5)) \(row.requester.padded(11)) \(row.openedAt)\(flags.isEmpty ? "" : "  [" + flags.joined(separator: "; ") + "]")")
                    }
                }
            }
        }
    }

    struct Wait: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Wait until a request is decided.",
            discussion: """
                Exit 0 granted (or bypassed); 1 denied, expired or cancelled, or still pending \
                at its deadline (no vote can grant it any more, even before `ledger tick` \
                records the expiry); 124 timed out. Waiting ends at whichever comes first: a \
                decision, the request's deadline, or --timeout. With --format json it always \
                prints one object: the request, and when undecided also "wait" \
                ("timed-out" or "deadline-passed") and "stillNeeded" (per group, approvals \
                still missing, who may vote, the deadline).

                Example (a CI step):
                  ledger request wait "$REQUEST_ID" --timeout 30m || exit 1
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The request id.") var id: String
        @Option(help: "Give up after this long (e.g. 90s, 30m; default 1h).") var timeout: String = "1h"
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            var final: RequestState?
            if let remote = try global.remote() { return try await waitRemotely(remote) }
            var approvals: Approvals?
            try await CommandRunner.run {
                let opened = Approvals(ledger: try await global.openWritable(readOnly: true))
                approvals = opened
                let state = try await opened.awaitDecision(id, timeout: try parseTimeout(timeout))
                switch format {
                case .json: Output.json(state.jsonValue)
                case .text: Output.line("\(state.id) \(state.status.rawValue): \(TerminalText.field(state.decisionExplanation ?? ""))")
                }
                final = state
            } unsettled: { error in
                if let approvals { await reportUnsettled(error, id: id, approvals: approvals, format: format) }
            }
            if let final { throw exitStatus(for: final) }
        }
    }

    struct Comment: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a comment to a request.",
            discussion: "Example:\n  ledger request comment req-3f9a1c0b2d \"dashboards look clean after canary\"")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The request id.") var id: String
        @Argument(help: "The comment.") var text: String
        @Option(help: "Output format: text or json (the request after the comment).") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                let ledger = try await global.openWritable()
                let state = try await Approvals(ledger: ledger).comment(id, text, signer: try await global.signer(for: ledger))
                switch format {
                case .json: Output.json(state.jsonValue)
                case .text: Output.line("commented on \(state.id) (version \(state.version))")
                }
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel your own pending request.",
            discussion: "Example:\n  ledger request cancel req-3f9a1c0b2d --reason \"superseded by req-77aa\"")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The request id.") var id: String
        @Option(help: "Why it is cancelled.") var reason: String
        @Option(help: "Output format: text or json (the request after the cancellation).") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                let ledger = try await global.openWritable()
                let state = try await Approvals(ledger: ledger).cancel(id, reason: reason, signer: try await global.signer(for: ledger))
                switch format {
                case .json: Output.json(state.jsonValue)
                case .text: Output.line("\(state.id) \(state.status.rawValue)")
                }
            }
        }
    }

    struct Bypass: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Break glass: record an emergency action taken without approval.",
            discussion: """
                Allowed only where the governing rule has break_glass; opens a post-hoc review \
                that the rule's reviewers must close (`ledger request review`) within its window. \
                Overdue reviews show in `request list`.

                Example:
                  ledger request bypass --action cache.purge --resource cdn/global --env prod \\
                      --summary "purge poisoned cache" --reason "INC-4411: serving stale prices"
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var content: RequestContent
        @Option(help: "Why approval could not wait.") var reason: String
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                let ledger = try await global.openWritable()
                let state = try await Approvals(ledger: ledger).bypass(try content.request(), reason: reason, signer: try await global.signer(for: ledger))
                switch format {
                case .json: Output.json(state.jsonValue)
                case .text:
                    Output.line(state.id)
                    Output.error("break-glass recorded; review due by \(state.review?.deadline.description ?? "?")")
                }
            }
        }
    }

    struct Review: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close the post-hoc review of a break-glass bypass.",
            discussion: """
                Example:
                  ledger request review req-3f9a1c0b2d --accept \\
                      --reason "justified: INC-4411 postmortem"
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The request id.") var id: String
        @Flag(help: "The bypass was justified.") var accept = false
        @Flag(help: "The bypass was not justified.") var reject = false
        @Option(help: "The reviewer's conclusion.") var reason: String
        @Option(help: "Output format: text or json (the request after the review).") var format: OutputFormat = .text

        func validate() throws {
            guard accept != reject else { throw ValidationError("give exactly one of --accept or --reject") }
        }

        func run() async throws {
            try await CommandRunner.run {
                let ledger = try await global.openWritable()
                let state = try await Approvals(ledger: ledger).closeReview(id, accepted: accept, reason: reason, signer: try await global.signer(for: ledger))
                switch format {
                case .json: Output.json(state.jsonValue)
                case .text: Output.line("review of \(state.id) closed: \(state.review?.outcome ?? "")")
                }
            }
        }
    }
}
