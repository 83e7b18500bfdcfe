import ApprovalLedger
import ArgumentParser
import Foundation

/// Turns the library's typed errors into one line on stderr and an exit code, both decided by
/// the error's `FailureClass` (as `ledger serve` decides its HTTP status): 2 "could not run",
/// 3 "refused by the approval rules", so scripts can tell them from a negative answer.
/// A wait that ends undecided is neither: 124 when the wait timed out, 1 when the request's
/// deadline passed (no vote can grant it any more, as if expired); `unsettled` then reports
/// the request as it stands.
enum CommandRunner {
    static func run(_ body: () async throws -> Void, unsettled: (ApprovalError) async -> Void = { _ in }) async throws {
        do {
            try await body()
        } catch let error as any ClassifiedError {
            let exitCode = error.failureClass.exitCode
            let text = TerminalText.field(error.failureMessage, limit: 2000)
            switch error.failureClass {
            case .timedOut, .negative:
                Output.error("\(error.failureClass == .timedOut ? "timed out" : "deadline passed"): \(text) [\(error.stableCode)]")
                if let approval = error as? ApprovalError { await unsettled(approval) }
                throw ExitCode(exitCode)
            case .refused, .refusedInput:
                Output.error("refused: \(text) [\(error.stableCode)]")
                throw ExitCode(exitCode)
            default:
                // A policy's problems are a list, one escaped line each, not one sentence.
                if let policy = error as? PolicyError { throw fail(PolicyText.describe(policy)) }
                Output.error("error: \(text) [\(error.stableCode)]")
                throw ExitCode(exitCode)
            }
        }
    }

    /// Prints `message` as the command's error and returns the exit code to throw. Messages
    /// quote untrusted input, so each error's text is escaped with `TerminalText.field` first.
    static func fail(_ message: String) -> ExitCode {
        Output.error("error: \(message)")
        return ExitCode(2)
    }
}

/// Writes to stdout and stderr. Human-readable text passes through `TerminalText.lines`, so
/// no control character or bidi override reaches a terminal whatever a message quotes; JSON is
/// written exactly (RFC 8785), for programs.
enum Output {
    static func line(_ text: String = "", terminator: String = "\n") {
        FileHandle.standardOutput.write(Data((TerminalText.lines(text) + terminator).utf8))
    }

    static func json(_ value: JSONValue) {
        FileHandle.standardOutput.write(Data(CanonicalJSON.encode(value) + [0x0A]))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((TerminalText.lines(text) + "\n").utf8))
    }

    static var stderrIsTerminal: Bool { isatty(2) == 1 }
}
