import ApprovalLedger
import ArgumentParser
import Foundation

/// Turns the library's typed errors into one line on stderr and exit code 2 ("could not run"),
/// so every command fails the same way and scripts can tell failure from a negative answer.
enum CommandRunner {
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as LedgerError {
            throw fail("\(error.message) [\(error.code)]")
        } catch let error as CryptoError {
            throw fail("\(error.description) [\(error.code)]")
        } catch let error as FormatError {
            throw fail("\(error.message) [\(error.code.rawValue)]")
        } catch let error as JSONParseError {
            throw fail("\(error.description) [\(error.code.rawValue)]")
        }
    }

    /// Prints `message` as the command's error and returns the exit code to throw.
    static func fail(_ message: String) -> ExitCode {
        Output.error("error: \(message)")
        return ExitCode(2)
    }
}

/// Writes to stdout and stderr.
enum Output {
    static func line(_ text: String = "", terminator: String = "\n") {
        FileHandle.standardOutput.write(Data((text + terminator).utf8))
    }

    static func json(_ value: JSONValue) {
        FileHandle.standardOutput.write(Data(CanonicalJSON.encode(value) + [0x0A]))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static var stderrIsTerminal: Bool { isatty(2) == 1 }
}
