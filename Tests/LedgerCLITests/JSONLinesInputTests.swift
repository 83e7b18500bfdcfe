import Foundation
import TestSupport
import Testing

/// `ledger append --jsonl` reads what docs/SECURITY.md says: lines of at most 1,048,576 bytes
/// before the LF, each one JSON text (so CRLF and surrounding whitespace are accepted), empty
/// lines skipped, a last line without LF read.
@Suite("append --jsonl: the line limit and line ends")
struct JSONLinesInputTests {
    static let event = #"{"type":"deploy.note","stream":"s","payload":{}}"#

    /// `event` padded with spaces to `length` bytes.
    static func line(_ length: Int) -> String { event + String(repeating: " ", count: length - event.utf8.count) }

    @Test("1,048,576 bytes before the LF are accepted, one more refused; CRLF, empty lines and a last line without LF accepted")
    func limitAndLineEnds() throws {
        let cli = try LedgerCLI().initialised()
        let append = ["--ledger", "ops.ledger", "--key", "alice.pem", "append", "--jsonl"]
        let accepted = try cli.run(append, input: Self.line(1 << 20) + "\n" + Self.event + "\r\n\n" + Self.event)
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(accepted.stdout.split(separator: "\n").count == 3, "\(accepted.stdout)")
        let refused = try cli.run(append, input: Self.line((1 << 20) + 1) + "\n")
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("longer than 1048576 bytes"), "\(refused.stderr)")
    }
}
