import ApprovalLedger

/// A problem-details answer (RFC 9457) from `ledger serve`, as the error the same command
/// raises locally: its stable `code`, its sentence, and its failure class, so `--server`
/// prints the same `[code]` line and exits with the same code (`CommandRunner`).
struct RemoteProblem: ClassifiedError {
    let status: Int
    let stableCode: String
    let failureMessage: String
    let failureClass: FailureClass

    init(answer: RemoteLedger.Answer, url: String) {
        status = answer.status
        var className: String?
        if let value = try? JSONParser.parse(answer.body), case .object(let object) = value, case .string(let code)? = object["code"] {
            stableCode = code
            failureMessage = object["detail"]?.stringValue ?? object["title"]?.stringValue ?? "HTTP \(answer.status)"
            className = object["class"]?.stringValue
        } else {
            stableCode = "http-\(answer.status)"
            failureMessage = "the server answered HTTP \(answer.status) to \(url) without problem details"
        }
        failureClass = className.flatMap(FailureClass.init(rawValue:)) ?? Self.inferredClass(status: answer.status, code: stableCode)
    }

    /// Codes of a 409 that are the ledger's own conflicts (exit 2), not the rules' refusals (3).
    static let ledgerConflicts: Set<String> = ["version-conflict", "already-exists", "idempotency-conflict"]

    /// The class behind a status (`FailureClass.httpStatus` read backwards), for a server that
    /// does not send `class`: 409 is a conflict, a refusal by the rules or a passed deadline,
    /// told apart by the code.
    static func inferredClass(status: Int, code: String) -> FailureClass {
        switch status {
        case 400: .invalidInput
        case 401: .unauthenticated
        case 403: .forbidden
        case 404: .notFound
        case 408: .timedOut
        case 409: ledgerConflicts.contains(code) ? .conflict : code == "deadline-passed" ? .negative : .refused
        case 413: .tooLarge
        case 422: .refusedInput
        case 429, 503: .unavailable
        default: .failed
        }
    }
}
