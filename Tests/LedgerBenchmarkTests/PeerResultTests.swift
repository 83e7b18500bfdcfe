@testable import LedgerBenchmark
import Testing

@Suite("The peer's output")
struct PeerResultTests {
    static let line = #"{"library": "eventsourcing", "version": "9.5.6", "python": "3.11.7", "sqlite": "3.40.1", "requests": 2000, "events": 4000, "seconds": 1.25, "cpuSeconds": 0.8, "journalMode": "wal", "synchronous": "FULL"}"#

    @Test func theLastJSONLineIsTheResult() throws {
        let result = try PeerResult.parse("warming up\n" + Self.line + "\n")
        #expect(result.version == "9.5.6")
        #expect(result.events == 4000)
        #expect(result.eventsPerSecond == 3200)
        #expect(abs(result.cpuMicrosecondsPerEvent - 200) < 1e-9)
    }

    @Test func aRunThatWasNotDurableIsRefused() {
        let normal = Self.line.replacingOccurrences(of: "\"FULL\"", with: "\"NORMAL\"")
        #expect(throws: BenchmarkError.self) { try PeerResult.parse(normal) }
        let rollback = Self.line.replacingOccurrences(of: "\"wal\"", with: "\"delete\"")
        #expect(throws: BenchmarkError.self) { try PeerResult.parse(rollback) }
    }

    @Test func missingFieldsAndNoiseAreRefused() {
        #expect(throws: BenchmarkError.self) { try PeerResult.parse("Traceback (most recent call last):\n") }
        let noEvents = Self.line.replacingOccurrences(of: #""events": 4000, "#, with: "")
        #expect(throws: BenchmarkError.self) { try PeerResult.parse(noEvents) }
        let wrongCount = Self.line.replacingOccurrences(of: #""events": 4000"#, with: #""events": 3999"#)
        #expect(throws: BenchmarkError.self) { try PeerResult.parse(wrongCount) }
    }
}
