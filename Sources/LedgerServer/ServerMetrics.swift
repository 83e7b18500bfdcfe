import ApprovalLedger
import Synchronization

/// The server's own counters, appended to the ledger's metrics at `/metrics`.
final class ServerMetrics: Sendable {
    private struct Counts {
        var responses: [ResponseKey: Int] = [:]
        var problems: [String: Int] = [:]
        var sweeperEvents = 0
        var streams = 0
        var inFlight = 0
    }

    private struct ResponseKey: Hashable {
        var method: String
        var route: String
        var status: Int
    }

    private let counts = Mutex(Counts())

    func response(method: String, route: String, status: Int) {
        counts.withLock { $0.responses[ResponseKey(method: method, route: route, status: status), default: 0] += 1 }
    }

    func problem(_ code: String) {
        counts.withLock { $0.problems[code, default: 0] += 1 }
    }

    func swept(_ events: Int) {
        counts.withLock { $0.sweeperEvents += events }
    }

    func requestStarted() { counts.withLock { $0.inFlight += 1 } }
    func requestEnded() { counts.withLock { $0.inFlight -= 1 } }

    func streamOpened() { counts.withLock { $0.streams += 1 } }
    func streamClosed() { counts.withLock { $0.streams -= 1 } }

    /// Prometheus text exposition of the counters; `writesInFlight` is sampled by the caller.
    func prometheusText(writesInFlight: Int) -> String {
        let counts = counts.withLock { $0 }
        var out = PrometheusExposition()
        out.family("ledger_http_responses_total", .counter, help: "HTTP responses by method, route pattern and status.")
        for (key, value) in counts.responses.sorted(by: { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }) {
            out.sample("ledger_http_responses_total", [("method", key.method), ("route", key.route), ("status", String(key.status))], Double(value))
        }
        out.family("ledger_http_problems_total", .counter, help: "Problem-details answers by stable code.")
        for (code, value) in counts.problems.sorted(by: { $0.key < $1.key }) {
            out.sample("ledger_http_problems_total", [("code", code)], Double(value))
        }
        out.single("ledger_http_requests_in_flight", .gauge, help: "Requests being answered now, this one included (a long-poll wait counts until it answers).", Double(counts.inFlight))
        out.single("ledger_http_writes_in_flight", .gauge, help: "Writes being committed now (bounded by --max-in-flight-writes).", Double(writesInFlight))
        out.single("ledger_http_event_streams", .gauge, help: "Open Server-Sent Events streams.", Double(counts.streams))
        out.single("ledger_sweeper_events_total", .counter, help: "Escalations and expiries the server's sweeper appended.", Double(counts.sweeperEvents))
        return out.text
    }
}
