import Foundation
import TestSupport
import Testing

@testable import LedgerExport

@Suite("Bundle line reader")
struct LineReaderTests {
    /// An overlong line is cut at the limit whether or not its LF is already buffered, and the
    /// lines after it are still read.
    @Test func overlongLinesAreCutAndReadingGoesOn() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/lines.jsonl"
        let long = String(repeating: "x", count: 100)
        try Data("short\n\(long)\ntail".utf8).write(to: URL(fileURLWithPath: path))
        var reader = try LineReader(path: path, maxLine: 10)
        defer { reader.close() }
        var lines: [(String, Bool)] = []
        while let (line, terminated) = try reader.next() { lines.append((String(decoding: line, as: UTF8.self), terminated)) }
        #expect(lines.map(\.0) == ["short", String(repeating: "x", count: 10), "tail"])
        #expect(lines.map(\.1) == [true, false, false])
    }
}
