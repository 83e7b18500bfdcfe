internal import LedgerFormat

extension Decider {
    /// A command on an existing request, with everything needed to judge it.
    struct Context {
        let state: RequestState
        let rule: PolicyRule
        let policy: Policy
        let actor: String
        let now: Timestamp

        func rejectVote(_ vote: VoteCommand, _ code: String, _ message: String) -> Decision {
            var payload = JSONObject()
            payload["attempted"] = .string(vote.approve ? "approve" : "deny")
            payload["code"] = .string(code)
            payload["explanation"] = .string(message)
            payload["claimedIdentity"] = .string(vote.claimedIdentity)
            payload["reason"] = .string(vote.reason)
            if let version = vote.requestVersion { payload["requestVersion"] = .integer(version) }
            return .refused(code, message, recording: DomainEvent(ApprovalEvents.voteRejected, .object(payload)))
        }

        func vote(_ vote: VoteCommand) -> Decision {
            let verb = vote.approve ? "approve" : "deny"
            // A relay that finds no identity linked to a chat account records the attempt as
            // the account's own claim (`Approvals.chatVote`): refused, whoever the actor.
            if let via = vote.relayedVia, vote.claimedIdentity == via {
                return rejectVote(vote, "identity-unlinked", "\(Identifier.printable(via)) is not linked to a ledger identity, so its vote cannot count: an admin links it with `ledger identity link \(Identifier.printable(via)) IDENTITY`")
            }
            guard vote.claimedIdentity == actor else {
                return rejectVote(vote, "key-identity-mismatch", "the key used belongs to '\(actor)', not '\(Identifier.printable(vote.claimedIdentity))': a vote must be signed by the voter's own key")
            }
            guard state.status == .pending else {
                return rejectVote(vote, "already-resolved", "\(state.id) is already \(state.status.rawValue); votes no longer count")
            }
            guard now < state.deadline else {
                return rejectVote(vote, "expired", "\(state.id) expired at \(state.deadline); open a new request")
            }
            if let seen = vote.requestVersion, seen < state.contentVersion || seen > state.version {
                return rejectVote(vote, "stale-version", "you saw version \(seen) of \(state.id), but it is now at version \(state.version) (content version \(state.contentVersion)); review it again with `ledger request show`")
            }
            if rule.ownKeyVotes, let via = vote.relayedVia {
                return rejectVote(vote, "own-key-required", "rule \(rule.name) counts only votes signed by the voter's own key, and this one was relayed (\(Identifier.printable(via))): vote with your own key: `ledger --server URL --key KEY approve ID --reason …`")
            }
            if vote.approve, actor == state.requester, !rule.allowSelfApproval {
                return rejectVote(vote, "self-approval", "\(actor) opened \(state.id) and may not approve it (rule \(rule.name) forbids self-approval)")
            }
            let eligible = rule.eligibleGroups(addedByEscalation: state.addedGroups)
            if !eligible.isEmpty, !eligible.contains(where: { policy.members(of: $0).contains(actor) }) {
                return rejectVote(vote, "not-eligible", "\(actor) is not in any group that may \(verb) \(state.id) (eligible: \(eligible.joined(separator: ", ")))")
            }
            if rule.distinctApprovers, state.votes.contains(where: { $0.voter == actor }) {
                return rejectVote(vote, "already-voted", "\(actor) has already voted on \(state.id); each approver counts once")
            }
            let reasonNeeded = vote.approve ? rule.reasonRequiredOnApprove : rule.reasonRequiredOnDeny
            if reasonNeeded, vote.reason.trimmingSpaces.isEmpty {
                return rejectVote(vote, "reason-required", "rule \(rule.name) requires a reason to \(verb); pass --reason")
            }
            var cast = JSONObject()
            cast["decision"] = .string(verb)
            cast["reason"] = .string(vote.reason)
            cast["requestVersion"] = .integer(vote.requestVersion ?? state.version)
            var events = [DomainEvent(ApprovalEvents.voteCast, .object(cast))]
            var after = state
            after.votes.append(RequestState.Vote(voter: actor, approve: vote.approve, reason: vote.reason, seq: 0, time: now))
            if let outcome = outcome(after) { events.append(outcome) }
            return Decision(events: events, refusal: nil)
        }

        /// The decision the votes so far force, if any: a veto, or every threshold met.
        func outcome(_ state: RequestState) -> DomainEvent? {
            let deniers = state.deniers
            if deniers.count >= rule.denyVeto {
                return DomainEvent(ApprovalEvents.denied, [
                    "rule": .string(rule.name), "automatic": false, "deniers": .array(deniers.map(JSONValue.string)),
                    "explanation": .string("denied under rule \(rule.name): \(deniers.count) of \(rule.denyVeto) deny veto by \(deniers.joined(separator: ", "))"),
                ])
            }
            let matching = ApproverMatching(required: rule.requiredByGroup, total: rule.requiredTotal)
            let approvals = approvals(state)
            guard let assignment = matching.satisfied(by: approvals) else { return nil }
            let groups = assignment.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value.joined(separator: ", ")))" }
            let by = state.approvers.joined(separator: ", ")
            return DomainEvent(ApprovalEvents.granted, [
                "rule": .string(rule.name), "automatic": false, "approvers": .array(state.approvers.map(JSONValue.string)),
                "explanation": .string("granted under rule \(rule.name): \(groups.isEmpty ? "" : groups.joined(separator: " and ") + "; ")\(approvals.count) of \(rule.requiredTotal) approvals by \(by)"),
                "grant": Decider.grant(requestID: state.id, digest: state.changeDigest, rule: rule, now: now),
            ])
        }

        /// Approvals that count: one per approver when approvers must be distinct. Members of
        /// groups added by escalation count toward every required group.
        func approvals(_ state: RequestState) -> [ApproverMatching.Approval] {
            let required = Set(rule.requiredByGroup.keys)
            let substitutes = state.addedGroups.reduce(into: Set<String>()) { $0.formUnion(policy.members(of: $1)) }
            var seen = Set<String>()
            var approvals: [ApproverMatching.Approval] = []
            for voter in state.approvers where !rule.distinctApprovers || seen.insert(voter).inserted {
                let groups = substitutes.contains(voter) ? required : required.filter { policy.members(of: $0).contains(voter) }
                approvals.append(ApproverMatching.Approval(voter: voter, groups: groups))
            }
            return approvals
        }

        func comment(_ text: String) -> Decision {
            guard !text.trimmingSpaces.isEmpty else { return .refused("empty-comment", "a comment needs text") }
            return Decision(events: [DomainEvent(ApprovalEvents.commented, ["text": .string(text)])], refusal: nil)
        }

        func cancel(_ reason: String) -> Decision {
            guard state.status == .pending else {
                return .refused("already-resolved", "\(state.id) is already \(state.status.rawValue) and cannot be cancelled")
            }
            guard actor == state.requester else {
                return .refused("not-requester", "only \(state.requester), who opened \(state.id), may cancel it")
            }
            return Decision(events: [DomainEvent(ApprovalEvents.cancelled, ["reason": .string(reason), "explanation": .string("cancelled by \(actor): \(reason)")])], refusal: nil)
        }

        /// Due escalations and expiry. Idempotent: what has been appended is not due again.
        func tick() -> Decision {
            guard state.status == .pending else { return Decision(events: [], refusal: nil) }
            if now >= state.deadline {
                let explanation = "no decision by the deadline \(state.deadline) (rule \(rule.name), ttl \(DurationText.format(rule.ttl)))"
                switch rule.onTimeout {
                case .expire:
                    return Decision(events: [DomainEvent(ApprovalEvents.expired, ["rule": .string(rule.name), "explanation": .string("expired: " + explanation)])], refusal: nil)
                case .deny:
                    return Decision(events: [DomainEvent(ApprovalEvents.denied, [
                        "rule": .string(rule.name), "automatic": true, "deniers": [], "explanation": .string("auto-denied on timeout: " + explanation),
                    ])], refusal: nil)
                }
            }
            var events: [DomainEvent] = []
            for (index, step) in rule.escalation.enumerated() where index >= state.escalationsApplied && state.openedAt.adding(milliseconds: step.after) <= now {
                events.append(DomainEvent(ApprovalEvents.escalated, [
                    "step": .integer(Int64(index + 1)),
                    "notify": .array(step.notify.map(JSONValue.string)),
                    "addGroups": .array(step.addGroups.map(JSONValue.string)),
                    "explanation": .string("pending for \(DurationText.format(step.after)): notifying \(step.notify.joined(separator: ", "))\(step.addGroups.isEmpty ? "" : "; \(step.addGroups.joined(separator: ", ")) may now approve")"),
                ]))
            }
            return Decision(events: events, refusal: nil)
        }

        func refuseExecution(_ code: String, _ message: String, succeeded: Bool, digest: String?, detail: String?) -> Decision {
            var payload = JSONObject()
            payload["code"] = .string(code)
            payload["explanation"] = .string(message)
            payload["attemptedOutcome"] = .string(succeeded ? "succeeded" : "failed")
            if let digest { payload["changeDigest"] = .string(digest) }
            // The attempt is recorded whole, so the command a caller signed can be read back.
            if let detail { payload["detail"] = .string(detail) }
            return .refused(code, message, recording: DomainEvent(ApprovalEvents.executionRefused, .object(payload)))
        }

        func execute(succeeded: Bool, digest: String?, detail: String?) -> Decision {
            var payload = JSONObject()
            payload["outcome"] = .string(succeeded ? "succeeded" : "failed")
            if let digest { payload["changeDigest"] = .string(digest) }
            if let detail { payload["detail"] = .string(detail) }
            if state.status == .bypassed {
                payload["grantId"] = .null
                return Decision(events: [DomainEvent(ApprovalEvents.executed, .object(payload))], refusal: nil)
            }
            guard state.status == .granted, let grant = state.grant else {
                return refuseExecution("no-grant", "\(state.id) is \(state.status.rawValue), not granted: there is nothing to execute", succeeded: succeeded, digest: digest, detail: detail)
            }
            if grant.oneShot, !state.executions.isEmpty {
                return refuseExecution("grant-used", "the one-shot grant of \(state.id) was already used at \(state.executions[0].time)", succeeded: succeeded, digest: digest, detail: detail)
            }
            if now > grant.expiresAt {
                return refuseExecution("grant-expired", "the grant of \(state.id) expired at \(grant.expiresAt); open a new request", succeeded: succeeded, digest: digest, detail: detail)
            }
            if let bound = grant.changeDigest, digest != bound {
                return refuseExecution(
                    "digest-mismatch",
                    digest == nil ? "the grant of \(state.id) is bound to change \(bound.prefix(16))…; pass --change-digest" : "change \(digest!.prefix(16))… is not the change \(bound.prefix(16))… that \(state.id) approved",
                    succeeded: succeeded, digest: digest, detail: detail)
            }
            payload["grantId"] = .string(grant.id)
            return Decision(events: [DomainEvent(ApprovalEvents.executed, .object(payload))], refusal: nil)
        }

        func rollback(_ reason: String) -> Decision {
            guard !state.executions.isEmpty else {
                return .refused("not-executed", "\(state.id) has no execution to roll back")
            }
            guard state.rolledBackAt == nil else { return .refused("already-rolled-back", "\(state.id) was already rolled back at \(state.rolledBackAt!)") }
            guard !reason.trimmingSpaces.isEmpty else { return .refused("reason-required", "a rollback needs a reason") }
            return Decision(events: [DomainEvent(ApprovalEvents.rolledBack, ["reason": .string(reason)])], refusal: nil)
        }

        func recover(_ detail: String) -> Decision {
            guard state.executions.contains(where: { !$0.succeeded }) || state.rolledBackAt != nil else {
                return .refused("nothing-to-recover", "\(state.id) has neither failed nor been rolled back")
            }
            guard state.recoveredAt == nil else { return .refused("already-recovered", "\(state.id) already recovered at \(state.recoveredAt!)") }
            return Decision(events: [DomainEvent(ApprovalEvents.recovered, ["detail": .string(detail)])], refusal: nil)
        }

        func closeReview(accepted: Bool, reason: String) -> Decision {
            guard let review = state.review else { return .refused("no-review", "\(state.id) was not a break-glass bypass; it has no review") }
            guard review.closedAt == nil else { return .refused("already-reviewed", "the review of \(state.id) was closed at \(review.closedAt!)") }
            guard actor != state.requester else { return .refused("self-review", "\(actor) performed the bypass and may not review it") }
            let reviewers = rule.breakGlass?.reviewers ?? []
            guard reviewers.contains(where: { policy.members(of: $0).contains(actor) }) else {
                return .refused("not-eligible", "\(actor) is not a reviewer for \(state.id) (reviewers: \(reviewers.joined(separator: ", ")))")
            }
            guard !reason.trimmingSpaces.isEmpty else { return .refused("reason-required", "closing a review needs a reason") }
            return Decision(events: [DomainEvent(ApprovalEvents.reviewClosed, [
                "outcome": .string(accepted ? "accepted" : "rejected"), "reason": .string(reason),
                "overdue": .bool(now > review.deadline),
            ])], refusal: nil)
        }
    }
}

extension String {
    var trimmingSpaces: Substring {
        let trimmed = drop { $0.isWhitespace }
        return trimmed.dropLast(trimmed.reversed().prefix { $0.isWhitespace }.count)
    }
}
