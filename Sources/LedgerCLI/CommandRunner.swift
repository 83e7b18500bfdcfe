import ApprovalLedger
import ArgumentParser
import Foundation

/// Turns the library's typed errors into one line on stderr and an exit code: 2 "could not
/// run", 3 "refused by the approval rules", so scripts can tell them from a negative answer.
/// A wait that ends undecided is neither: 124 when the wait timed out, 1 when the request's
/// deadline passed (no vote can grant it any more, as if expired); `unsettled` then reports
/// the request as it stands.
enum CommandRunner {
    static func run(_ body: () async throws -> Void, unsettled: (ApprovalError) async -> Void = { _ in }) async throws {
        do {
            try await body()
        } catch let error as ApprovalError where error.code == "timed-out" || error.code == "deadline-passed" {
            let timedOut = error.code == "timed-out"
            Output.error("\(timedOut ? "timed out" : "deadline passed"): \(TerminalText.field(error.message, limit: 2000)) [\(error.code)]")
            await unsettled(error)
            throw ExitCode(timedOut ? 124 : 1)
        } catch let error as LedgerError {
            throw fail("\(TerminalText.field(error.message, limit: 2000)) [\(error.code)]")
        } catch let error as CryptoError {
            throw fail("\(TerminalText.field(error.description, limit: 2000)) [\(error.code)]")
        } catch let error as FormatError {
            throw fail("\(TerminalText.field(error.message, limit: 2000)) [\(error.code.rawValue)]")
        } catch let error as JSONParseError {
            throw fail("\(TerminalText.field(error.description, limit: 2000)) [\(error.code.rawValue)]")
        } catch let error as ExportError {
            throw fail("\(TerminalText.field(error.message, limit: 2000)) [\(error.code)]")
        } catch let error as PolicyError {
            throw fail(PolicyText.describe(error))
        } catch let error as ApprovalError {
            Output.error("refused: \(TerminalText.field(error.description, limit: 2000)) [\(error.code)]")
            throw ExitCode(3)
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
