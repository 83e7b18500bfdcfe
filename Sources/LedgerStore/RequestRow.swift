internal import Foundation
internal import GRDB
internal import LedgerDomain
internal import LedgerFormat

/// One row of the `requests` projection: the current state of an approval request, derived
/// from its stream's events by `RequestProjection`. `ledger rebuild` recomputes it.
public struct RequestRow: Sendable, Hashable {
    public var requestID: String
    public var status: String
    public var action: String
    public var resource: String
    public var environment: String
    public var requester: String
    public var summary: String
    public var riskScore: Int
    public var riskLevel: String
    public var rule: String
    public var policyVersion: Int64
    public var openedSeq: Int64
    public var openedAt: String
    public var deadline: String
    public var decidedAt: String?
    public var lastSeq: Int64
    public var version: Int64
    public var approvers: [String]
    public var rejectedAttempts: Int
    public var escalations: Int
    public var executions: Int
    public var lastOutcome: String?
    public var rolledBackAt: String?
    public var recoveredAt: String?
    public var grantExpiresAt: String?
    public var reviewDeadline: String?
    public var reviewClosedAt: String?

    public init(
        requestID: String, status: String, action: String, resource: String, environment: String, requester: String,
        summary: String, riskScore: Int, riskLevel: String, rule: String, policyVersion: Int64, openedSeq: Int64,
        openedAt: String, deadline: String, decidedAt: String?, lastSeq: Int64, version: Int64, approvers: [String],
        rejectedAttempts: Int, escalations: Int, executions: Int, lastOutcome: String?, rolledBackAt: String?,
        recoveredAt: String?, grantExpiresAt: String?, reviewDeadline: String?, reviewClosedAt: String?
    ) {
        self.requestID = requestID
        self.status = status
        self.action = action
        self.resource = resource
        self.environment = environment
        self.requester = requester
        self.summary = summary
        self.riskScore = riskScore
        self.riskLevel = riskLevel
        self.rule = rule
        self.policyVersion = policyVersion
        self.openedSeq = openedSeq
        self.openedAt = openedAt
        self.deadline = deadline
        self.decidedAt = decidedAt
        self.lastSeq = lastSeq
        self.version = version
        self.approvers = approvers
        self.rejectedAttempts = rejectedAttempts
        self.escalations = escalations
        self.executions = executions
        self.lastOutcome = lastOutcome
        self.rolledBackAt = rolledBackAt
        self.recoveredAt = recoveredAt
        self.grantExpiresAt = grantExpiresAt
        self.reviewDeadline = reviewDeadline
        self.reviewClosedAt = reviewClosedAt
    }

    /// The columns, in `columns` order, for a SELECT.
    package static var columnList: String { columns.joined(separator: ", ") }

    static let columns = [
        "request_id", "status", "action", "resource", "environment", "requester", "summary", "risk_score", "risk_level",
        "rule", "policy_version", "opened_seq", "opened_at", "deadline", "decided_at", "last_seq", "version", "approvers",
        "rejected_attempts", "escalations", "executions", "last_outcome", "rolled_back_at", "recovered_at",
        "grant_expires_at", "review_deadline", "review_closed_at",
    ]

    /// Appends the values of `columns`, in order.
    func append(to values: inout [(any DatabaseValueConvertible)?]) {
        let approversJSON = String(decoding: CanonicalJSON.encode(.array(approvers.map(JSONValue.string))), as: UTF8.self)
        values.append(contentsOf: [
            requestID, status, action, resource, environment, requester, summary, riskScore, riskLevel, rule, policyVersion,
            openedSeq, openedAt, deadline, decidedAt, lastSeq, version, approversJSON, rejectedAttempts, escalations,
            executions, lastOutcome, rolledBackAt, recoveredAt, grantExpiresAt, reviewDeadline, reviewClosedAt,
        ] as [(any DatabaseValueConvertible)?])
    }

    init(row: Row) {
        let approversText: String = row["approvers"]
        self.init(
            requestID: row["request_id"], status: row["status"], action: row["action"], resource: row["resource"],
            environment: row["environment"], requester: row["requester"], summary: row["summary"],
            riskScore: row["risk_score"], riskLevel: row["risk_level"], rule: row["rule"],
            policyVersion: row["policy_version"], openedSeq: row["opened_seq"], openedAt: row["opened_at"],
            deadline: row["deadline"], decidedAt: row["decided_at"], lastSeq: row["last_seq"], version: row["version"],
            approvers: (try? JSONSerialization.jsonObject(with: Data(approversText.utf8))) as? [String] ?? [],
            rejectedAttempts: row["rejected_attempts"], escalations: row["escalations"], executions: row["executions"],
            lastOutcome: row["last_outcome"], rolledBackAt: row["rolled_back_at"], recoveredAt: row["recovered_at"],
            grantExpiresAt: row["grant_expires_at"], reviewDeadline: row["review_deadline"],
            reviewClosedAt: row["review_closed_at"])
    }
}

extension RequestRow {
    /// The row of a projected request.
    init(_ projection: RequestProjection) {
        let state = projection.state
        self.init(
            requestID: state.id, status: state.status.rawValue, action: state.action, resource: state.resource,
            environment: state.environment, requester: state.requester, summary: state.summary, riskScore: state.riskScore,
            riskLevel: state.riskLevel, rule: state.ruleName, policyVersion: state.policyVersion, openedSeq: state.openedSeq,
            openedAt: state.openedAt.description, deadline: state.deadline.description, decidedAt: state.decidedAt?.description,
            lastSeq: projection.lastSeq, version: state.version, approvers: state.approvers,
            rejectedAttempts: state.rejectedAttempts.count, escalations: state.escalationsApplied, executions: state.executions.count,
            lastOutcome: state.executions.last.map { $0.succeeded ? "succeeded" : "failed" },
            rolledBackAt: state.rolledBackAt?.description, recoveredAt: state.recoveredAt?.description,
            grantExpiresAt: state.grant?.expiresAt.description, reviewDeadline: state.review?.deadline.description,
            reviewClosedAt: state.review?.closedAt?.description)
    }
}
