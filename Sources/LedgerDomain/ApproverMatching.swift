/// Whether the approvals given meet a rule's thresholds: each required group's count filled by
/// distinct approvals (one approval cannot count for two groups), and the total reached.
/// This is bipartite matching of approvals to group slots (Kuhn's augmenting paths), exact
/// and small: rules name a handful of groups and approvers.
struct ApproverMatching {
    /// One counted approval and the groups it may count for.
    struct Approval {
        var voter: String
        var groups: Set<String>
    }

    let required: [String: Int]
    let total: Int

    /// Returns the assignment (group → voters) when every threshold is met, else nil.
    func satisfied(by approvals: [Approval]) -> [String: [String]]? {
        guard approvals.count >= total else { return nil }
        let (assignment, complete) = filled(by: approvals)
        return complete ? assignment : nil
    }

    /// The largest assignment of approvals to group slots (group → voters), and whether it
    /// fills every slot.
    func filled(by approvals: [Approval]) -> (assignment: [String: [String]], complete: Bool) {
        let slots = required.sorted { $0.key < $1.key }.flatMap { group, count in Array(repeating: group, count: count) }
        var slotOwner = [Int?](repeating: nil, count: slots.count)
        for approval in approvals.indices {
            var visited = [Bool](repeating: false, count: slots.count)
            _ = assign(approval, approvals, slots, &slotOwner, &visited)
        }
        var result: [String: [String]] = [:]
        for (slot, owner) in slotOwner.enumerated() {
            if let owner { result[slots[slot], default: []].append(approvals[owner].voter) }
        }
        return (result, slotOwner.allSatisfy { $0 != nil })
    }

    private func assign(_ approval: Int, _ approvals: [Approval], _ slots: [String], _ owner: inout [Int?], _ visited: inout [Bool]) -> Bool {
        for slot in slots.indices where !visited[slot] && approvals[approval].groups.contains(slots[slot]) {
            visited[slot] = true
            if owner[slot] == nil || assign(owner[slot]!, approvals, slots, &owner, &visited) {
                owner[slot] = approval
                return true
            }
        }
        return false
    }

    /// How many of each group's slots the approvals fill, for explanations.
    func progress(_ approvals: [Approval]) -> String {
        let parts = required.sorted { $0.key < $1.key }.map { group, count in
            "\(group) \(min(count, approvals.filter { $0.groups.contains(group) }.count))/\(count)"
        }
        return (parts + ["total \(approvals.count)/\(total)"]).joined(separator: ", ")
    }
}
