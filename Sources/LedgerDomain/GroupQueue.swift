public import LedgerFormat

/// What awaits one approver group: the pending requests that still lack approvals from it.
/// Built from each pending request's `ApprovalNeeds` (its rule under the policy it recorded).
public struct GroupQueue: Sendable, Hashable {
    /// The group's name in the policy.
    public var group: String
    /// Pending requests that still need approvals from this group, soonest deadline first.
    public var requestIDs: [String]
    /// Approvals the group still owes across them.
    public var missingApprovals: Int
    /// The soonest of their deadlines.
    public var soonestDeadline: Timestamp?

    /// One queue per group that is still owed an approval, by name. `needs` pairs each
    /// pending request id with what it still needs.
    public static func queues(_ needs: [(requestID: String, needs: ApprovalNeeds)]) -> [GroupQueue] {
        var queues: [String: GroupQueue] = [:]
        let ordered = needs.sorted { ($0.needs.deadline, $0.requestID) < ($1.needs.deadline, $1.requestID) }
        for (requestID, need) in ordered {
            for group in need.groups where group.missing > 0 {
                var queue = queues[group.name] ?? GroupQueue(group: group.name, requestIDs: [], missingApprovals: 0, soonestDeadline: nil)
                queue.requestIDs.append(requestID)
                queue.missingApprovals += group.missing
                queue.soonestDeadline = queue.soonestDeadline.map { min($0, need.deadline) } ?? need.deadline
                queues[group.name] = queue
            }
        }
        return queues.keys.sorted().map { queues[$0]! }
    }
}
