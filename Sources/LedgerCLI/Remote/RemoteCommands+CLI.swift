import ApprovalLedger
import ArgumentParser

// Each command's `--server` path: the same arguments and output as its local `run()`, the
// work done by `RemoteCommands`. Kept here so the command files gain one line each.

extension LedgerTool.Request.Open {
    func openRemotely(_ remote: RemoteLedger) async throws {
        var final: JSONValue?
        var openedID: String?
        var last: JSONValue?
        try await CommandRunner.run {
            let request = try content.request()
            var state = try await RemoteCommands.open(remote, request)
            openedID = request.requestID
            last = state
            if format == .text { Output.line(request.requestID) } else if !wait { Output.json(state) }
            if wait {
                if state["status"]?.stringValue == "pending", format == .text {
                    Output.error("waiting for a decision on \(request.requestID) (rule \(state["policy"]?["rule"]?.stringValue ?? ""))…")
                }
                state = try await RemoteCommands.wait(remote, id: request.requestID, timeout: try parseTimeout(timeout), last: &last)
                if format == .json { Output.json(state) } else {
                    Output.error("\(request.requestID) \(state["status"]?.stringValue ?? ""): \(TerminalText.field(state["decision"]?.stringValue ?? ""))")
                }
                final = state
            }
        } unsettled: { error in
            if let openedID { RemoteCommands.reportUnsettled(error, id: openedID, last: last, format: format) }
        }
        if let final { throw remoteExitStatus(final) }
    }
}

extension LedgerTool.Request.Show {
    func showRemotely(_ remote: RemoteLedger) async throws {
        try await CommandRunner.run {
            let state = try await RemoteCommands.show(remote, id: id)
            switch format {
            case .json: Output.json(state)
            case .text: RemoteText.printRequest(state)
            }
        }
    }
}

extension LedgerTool.Request.List {
    func listRemotely(_ remote: RemoteLedger) async throws {
        try await CommandRunner.run {
            for text in statuses where RequestState.Status(rawValue: text) == nil {
                throw ValidationError("unknown status '\(text)'; use \(RequestState.Status.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let rows = try await RemoteCommands.list(remote, statuses: statuses, limit: limit)
            switch format {
            case .json: Output.json(.array(rows))
            case .text: RemoteText.printList(rows)
            }
        }
    }
}

extension LedgerTool.Request.Wait {
    func waitRemotely(_ remote: RemoteLedger) async throws {
        var final: JSONValue?
        var last: JSONValue?
        try await CommandRunner.run {
            let state = try await RemoteCommands.wait(remote, id: id, timeout: try parseTimeout(timeout), last: &last)
            switch format {
            case .json: Output.json(state)
            case .text: Output.line(RemoteText.decided(state))
            }
            final = state
        } unsettled: { error in
            RemoteCommands.reportUnsettled(error, id: id, last: last, format: format)
        }
        if let final { throw remoteExitStatus(final) }
    }
}

func castVoteRemotely(_ remote: RemoteLedger, approve: Bool, vote: VoteOptions) async throws {
    try await CommandRunner.run {
        let state = try await RemoteCommands.vote(remote, id: vote.id, approve: approve, reason: vote.reason, requestVersion: vote.requestVersion)
        switch vote.format {
        case .json: Output.json(state)
        case .text:
            // The voter is the identity the server recorded for this key: the last vote's.
            let voter = state["votes"]?.arrayValue?.last?["voter"]?.stringValue ?? ""
            Output.line("\(voter) voted to \(approve ? "approve" : "deny") \(state["requestId"]?.stringValue ?? vote.id): now \(state["status"]?.stringValue ?? "")")
            if let explanation = state["decision"]?.stringValue { Output.line("  \(TerminalText.field(explanation))") }
        }
    }
}

extension LedgerTool.Execute {
    func runRemotely(_ remote: RemoteLedger) async throws {
        try await CommandRunner.run {
            let state = try await RemoteCommands.execute(remote, id: id, succeeded: outcome == .succeeded, changeDigest: changeDigest, detail: detail)
            remoteReport(state, format: format, "execution \(outcome.rawValue) recorded for \(state["requestId"]?.stringValue ?? id)")
        }
    }
}

extension LedgerTool.Rollback {
    func runRemotely(_ remote: RemoteLedger) async throws {
        try await CommandRunner.run {
            let state = try await RemoteCommands.rollback(remote, id: id, reason: reason)
            remoteReport(state, format: format, "rollback recorded for \(state["requestId"]?.stringValue ?? id)")
        }
    }
}

extension LedgerTool.Recover {
    func runRemotely(_ remote: RemoteLedger) async throws {
        try await CommandRunner.run {
            let state = try await RemoteCommands.recover(remote, id: id, detail: detail)
            remoteReport(state, format: format, "recovery recorded for \(state["requestId"]?.stringValue ?? id)")
        }
    }
}

extension LedgerTool.Log {
    func runRemotely(_ remote: RemoteLedger) async throws {
        try await CommandRunner.run {
            guard stream == nil else {
                throw ValidationError("--stream is not available with --server yet: read the whole log, or use GET /v1/events")
            }
            try await RemoteCommands.events(remote, from: from, limit: limit) { line in
                let event = try EventLine(line: line[...])
                switch format {
                case .json: Output.json(try JSONParser.parse(line))
                case .text:
                    guard let e = event.envelope else { throw FormatError(.invalidField, "seq \(event.seq): the server sent an envelope that does not decode") }
                    Output.line(LedgerTool.Log.line(e, hashHex: Hex.encode(event.hash)))
                }
            }
        }
    }
}

extension LedgerTool.Metrics {
    func runRemotely(_ remote: RemoteLedger) async throws {
        try await CommandRunner.run {
            guard format == .prometheus, since == nil, until == nil, environment == nil, action == nil, now == nil, !verify else {
                throw ValidationError("with --server, metrics are the server's /metrics: use --format prometheus, without a window or filters")
            }
            Output.line(try await RemoteCommands.prometheus(remote), terminator: "")
        }
    }
}

/// As `exitStatus(for:)`: 0 granted or bypassed, 1 otherwise.
func remoteExitStatus(_ state: JSONValue) -> ExitCode {
    let status = state["status"]?.stringValue
    return status == "granted" || status == "bypassed" ? .success : ExitCode(1)
}

func remoteReport(_ state: JSONValue, format: OutputFormat, _ text: String) {
    switch format {
    case .json: Output.json(state)
    case .text: Output.line(text)
    }
}
