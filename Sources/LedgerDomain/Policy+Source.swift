internal import LedgerFormat

extension Policy {
    /// Validates a source tree (from YAML or from the ledger's JSON) into a policy.
    /// - Throws: `PolicyError` with every problem found.
    public init(source: PolicySource) throws(PolicyError) {
        var reader = PolicyReader()
        let top = reader.map(source, "", allowed: ["version", "name", "groups", "risk", "rules"])
        if let version = reader.integer(top["version"], "version", range: 1...1000), Int64(version) != Policy.schemaVersion {
            reader.problem(top["version"], "version", "policy schema version \(version) is not supported (this build reads \(Policy.schemaVersion))")
        } else if top["version"] == nil {
            reader.problem(source, "version", "is required (write `version: 1`)")
        }
        let name = reader.string(top["name"], "name", required: true) ?? ""

        var groups: [String: [String]] = [:]
        for (group, node) in reader.namedMap(top["groups"], "groups") {
            if !Identifier.isValidToken(group) { reader.problem(node, "groups.\(group)", "group names must be \(Identifier.tokenRule)") }
            let members = reader.strings(node, "groups.\(group)") ?? []
            for member in members where !Identifier.isValidIdentity(member) {
                reader.problem(node, "groups.\(group)", "'\(Identifier.printable(member))' is not a valid identity (\(Identifier.identityRule))")
            }
            if members.isEmpty { reader.problem(node, "groups.\(group)", "a group needs at least one member") }
            groups[group] = members
        }

        let risk = Self.readRisk(top["risk"], &reader)
        var rules: [PolicyRule] = []
        let ruleNodes = reader.list(top["rules"], "rules")
        if ruleNodes.isEmpty { reader.problem(top["rules"] ?? source, "rules", "a policy needs at least one rule") }
        for (index, node) in ruleNodes.enumerated() {
            if let rule = Self.readRule(node, path: "rules[\(index)]", groups: groups, &reader) {
                if rules.contains(where: { $0.name == rule.name }) {
                    reader.problem(node, "rules[\(index)].name", "rule name '\(rule.name)' is used twice")
                }
                rules.append(rule)
            }
        }
        if !reader.problems.isEmpty { throw PolicyError(problems: reader.problems) }
        self.init(name: name, groups: groups, risk: risk, rules: rules)
    }

    private static func readRisk(_ node: PolicySource?, _ reader: inout PolicyReader) -> RiskModel {
        let risk = reader.map(node, "risk", allowed: ["factors", "levels"])
        var factors: [RiskFactor] = []
        for (name, factorNode) in reader.namedMap(risk["factors"], "risk.factors") {
            let path = "risk.factors.\(name)"
            let fields = reader.map(factorNode, path, allowed: ["weight", "values", "max", "default", "business_hours", "weekdays_only"])
            let weight = reader.number(fields["weight"], "\(path).weight", range: 0...1000) ?? 0
            if fields["weight"] == nil { reader.problem(factorNode, "\(path).weight", "is required") }
            let defaultValue = reader.number(fields["default"], "\(path).default", range: 0...1) ?? 1
            let mapping: RiskFactor.Mapping
            if let values = fields["values"] {
                var table: [String: Double] = [:]
                for (key, valueNode) in reader.namedMap(values, "\(path).values") {
                    table[key] = reader.number(valueNode, "\(path).values.\(key)", range: 0...1)
                }
                mapping = .table(table)
            } else if let max = fields["max"] {
                mapping = .scale(max: reader.number(max, "\(path).max", range: 0.000001...1e15) ?? 1)
            } else if let hours = fields["business_hours"] {
                let text = reader.string(hours, "\(path).business_hours") ?? "8-18"
                let parts = text.split(separator: "-").compactMap { Int($0) }
                if parts.count != 2 || parts[0] < 0 || parts[1] > 24 || parts[0] >= parts[1] {
                    reader.problem(hours, "\(path).business_hours", "must be START-END in whole UTC hours, e.g. 8-18")
                }
                let weekdays = reader.bool(fields["weekdays_only"], "\(path).weekdays_only") ?? true
                mapping = .offHours(startHour: parts.first ?? 8, endHour: parts.count > 1 ? parts[1] : 18, weekdaysOnly: weekdays)
            } else {
                reader.problem(factorNode, path, "give one of values (a table), max (a numeric scale) or business_hours")
                mapping = .table([:])
            }
            factors.append(RiskFactor(name: name, weight: weight, mapping: mapping, defaultValue: defaultValue))
        }
        // Name order, as the canonical JSON has it, so YAML and published JSON read the same.
        factors.sort { $0.name < $1.name }
        var levels: [(name: String, from: Int)] = []
        for (name, levelNode) in reader.namedMap(risk["levels"], "risk.levels") {
            if let from = reader.integer(levelNode, "risk.levels.\(name)", range: 0...100) { levels.append((name, from)) }
        }
        levels.sort { $0.from < $1.from }
        return RiskModel(factors: factors, levels: levels.isEmpty ? RiskModel.standardLevels : levels)
    }

    private static let ruleKeys: Set<String> = [
        "name", "match", "require", "distinct_approvers", "allow_self_approval", "reason_required", "deny_veto", "ttl",
        "escalation", "on_timeout", "auto_approve_below", "auto_deny_above", "grant", "break_glass", "own_key_votes",
        "context",
    ]

    private static func readRule(_ node: PolicySource, path: String, groups: [String: [String]], _ reader: inout PolicyReader) -> PolicyRule? {
        let fields = reader.map(node, path, allowed: ruleKeys)
        let name = reader.string(fields["name"], "\(path).name", required: true) ?? ""
        if !name.isEmpty && !Identifier.isValidToken(name) { reader.problem(fields["name"], "\(path).name", "rule names must be \(Identifier.tokenRule)") }

        let match = reader.map(fields["match"], "\(path).match", allowed: ["action", "environment", "resource", "risk"])
        let riskRange = reader.map(match["risk"], "\(path).match.risk", allowed: ["min", "max"])
        let riskMin = reader.integer(riskRange["min"], "\(path).match.risk.min", range: 0...100) ?? 0
        let riskMax = reader.integer(riskRange["max"], "\(path).match.risk.max", range: 0...100) ?? 100
        if riskMin > riskMax { reader.problem(match["risk"], "\(path).match.risk", "min \(riskMin) is above max \(riskMax)") }
        let ruleMatch = RuleMatch(
            actions: (reader.strings(match["action"], "\(path).match.action") ?? ["*"]).map(Glob.init),
            environments: (reader.strings(match["environment"], "\(path).match.environment") ?? ["*"]).map(Glob.init),
            resources: (reader.strings(match["resource"], "\(path).match.resource") ?? ["*"]).map(Glob.init),
            riskMin: riskMin, riskMax: riskMax)

        func checkGroup(_ group: String, _ at: PolicySource?, _ where_: String) {
            if groups[group] == nil { reader.problem(at, where_, "group '\(group)' is not defined under groups") }
        }

        let require = reader.map(fields["require"], "\(path).require", allowed: ["groups", "total"])
        var byGroup: [String: Int] = [:]
        for (group, countNode) in reader.namedMap(require["groups"], "\(path).require.groups") {
            checkGroup(group, countNode, "\(path).require.groups.\(group)")
            let count = reader.integer(countNode, "\(path).require.groups.\(group)", range: 1...100) ?? 1
            if let members = groups[group], count > members.count {
                reader.problem(countNode, "\(path).require.groups.\(group)", "requires \(count) approvals but group '\(group)' has only \(members.count) member\(members.count == 1 ? "" : "s")")
            }
            byGroup[group] = count
        }
        let sum = byGroup.values.reduce(0, +)
        let total = reader.integer(require["total"], "\(path).require.total", range: 0...100) ?? sum
        if total < sum { reader.problem(require["total"], "\(path).require.total", "total \(total) is less than the \(sum) the groups require") }

        let reasons = reader.map(fields["reason_required"], "\(path).reason_required", allowed: ["approve", "deny"])
        var escalation: [EscalationStep] = []
        for (index, stepNode) in reader.list(fields["escalation"], "\(path).escalation").enumerated() {
            let stepPath = "\(path).escalation[\(index)]"
            let step = reader.map(stepNode, stepPath, allowed: ["after", "notify", "add_groups"])
            let after = reader.duration(step["after"], "\(stepPath).after")
            if step["after"] == nil { reader.problem(stepNode, "\(stepPath).after", "is required") }
            let notify = reader.strings(step["notify"], "\(stepPath).notify") ?? []
            let add = reader.strings(step["add_groups"], "\(stepPath).add_groups") ?? []
            for group in notify + add { checkGroup(group, stepNode, stepPath) }
            if let previous = escalation.last, let after, after <= previous.after {
                reader.problem(stepNode, "\(stepPath).after", "escalation steps must come in increasing order of 'after'")
            }
            escalation.append(EscalationStep(after: after ?? 0, notify: notify, addGroups: add))
        }
        let ttl = reader.duration(fields["ttl"], "\(path).ttl") ?? 86_400_000
        if let last = escalation.last, last.after >= ttl {
            reader.problem(fields["escalation"], "\(path).escalation", "an escalation step at \(DurationText.format(last.after)) never happens: the request expires at \(DurationText.format(ttl))")
        }
        var onTimeout = TimeoutAction.expire
        if let text = reader.string(fields["on_timeout"], "\(path).on_timeout") {
            if let action = TimeoutAction(rawValue: text) { onTimeout = action } else {
                reader.problem(fields["on_timeout"], "\(path).on_timeout", "must be expire or deny")
            }
        }
        let autoApprove = reader.integer(fields["auto_approve_below"], "\(path).auto_approve_below", range: 0...101)
        let autoDeny = reader.integer(fields["auto_deny_above"], "\(path).auto_deny_above", range: -1...100)
        if let autoApprove, let autoDeny, autoApprove > autoDeny + 1 {
            reader.problem(fields["auto_approve_below"], "\(path).auto_approve_below", "overlaps auto_deny_above \(autoDeny)")
        }
        if total == 0 && autoApprove == nil && autoDeny == nil {
            reader.problem(fields["require"] ?? node, "\(path).require", "requires no approvals and auto-approves nothing: require at least one approval, or set auto_approve_below")
        }
        let grant = reader.map(fields["grant"], "\(path).grant", allowed: ["ttl", "one_shot"])
        var breakGlass: BreakGlassRule?
        if let node = fields["break_glass"] {
            let glass = reader.map(node, "\(path).break_glass", allowed: ["review_within", "reviewers"])
            let reviewers = reader.strings(glass["reviewers"], "\(path).break_glass.reviewers") ?? []
            if reviewers.isEmpty { reader.problem(node, "\(path).break_glass.reviewers", "name at least one reviewer group") }
            for group in reviewers { checkGroup(group, node, "\(path).break_glass.reviewers") }
            breakGlass = BreakGlassRule(reviewWithin: reader.duration(glass["review_within"], "\(path).break_glass.review_within") ?? 86_400_000, reviewers: reviewers)
        }
        var rule = PolicyRule(
            name: name, match: ruleMatch, requiredByGroup: byGroup, requiredTotal: total,
            distinctApprovers: reader.bool(fields["distinct_approvers"], "\(path).distinct_approvers") ?? true,
            allowSelfApproval: reader.bool(fields["allow_self_approval"], "\(path).allow_self_approval") ?? false,
            reasonRequiredOnApprove: reader.bool(reasons["approve"], "\(path).reason_required.approve") ?? false,
            reasonRequiredOnDeny: reader.bool(reasons["deny"], "\(path).reason_required.deny") ?? false,
            denyVeto: reader.integer(fields["deny_veto"], "\(path).deny_veto", range: 1...100) ?? 1,
            ttl: ttl, escalation: escalation, onTimeout: onTimeout, autoApproveBelow: autoApprove, autoDenyAbove: autoDeny,
            grantTTL: reader.duration(grant["ttl"], "\(path).grant.ttl") ?? 3_600_000,
            oneShot: reader.bool(grant["one_shot"], "\(path).grant.one_shot") ?? true,
            breakGlass: breakGlass)
        rule.ownKeyVotes = reader.bool(fields["own_key_votes"], "\(path).own_key_votes") ?? false
        let context = reader.map(fields["context"], "\(path).context", allowed: ["links"])
        rule.context = RequiredContext(links: reader.integer(context["links"], "\(path).context.links", range: 0...20) ?? 0)
        return rule
    }
}
