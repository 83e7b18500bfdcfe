import Foundation

/// What `Tools/peer/eventsourcing_bench.py` reports: one JSON object on its last output line.
struct PeerResult: Equatable {
    var library: String
    var version: String
    var python: String
    var sqlite: String
    var requests: Int
    var events: Int
    var seconds: Double
    var cpuSeconds: Double
    var journalMode: String
    var synchronous: String

    var eventsPerSecond: Double { Double(events) / seconds }
    var cpuMicrosecondsPerEvent: Double { cpuSeconds * 1e6 / Double(events) }

    /// Parses the peer's output.
    /// - Throws: `BenchmarkError.invalidRun` when a field is missing, or when the run was not
    ///   the durable workload (WAL with `synchronous=FULL`, two events per request).
    static func parse(_ output: String) throws -> PeerResult {
        guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
              let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        else { throw BenchmarkError.invalidRun("the peer printed no JSON result: \(output.prefix(200))") }
        func string(_ key: String) throws -> String {
            guard let value = object[key] as? String else { throw BenchmarkError.invalidRun("the peer's result has no \"\(key)\"") }
            return value
        }
        func number(_ key: String) throws -> Double {
            guard let value = object[key] as? NSNumber else { throw BenchmarkError.invalidRun("the peer's result has no \"\(key)\"") }
            return value.doubleValue
        }
        let result = PeerResult(
            library: try string("library"), version: try string("version"), python: try string("python"), sqlite: try string("sqlite"),
            requests: Int(try number("requests")), events: Int(try number("events")), seconds: try number("seconds"),
            cpuSeconds: try number("cpuSeconds"), journalMode: try string("journalMode"), synchronous: try string("synchronous"))
        guard result.synchronous == "FULL", result.journalMode.lowercased() == "wal" else {
            throw BenchmarkError.invalidRun(
                "the peer ran with journal_mode=\(result.journalMode), synchronous=\(result.synchronous); the workload needs WAL and FULL")
        }
        guard result.events == 2 * result.requests, result.events > 0, result.seconds > 0 else {
            throw BenchmarkError.invalidRun("the peer saved \(result.events) events for \(result.requests) requests in \(result.seconds) s")
        }
        return result
    }
}
