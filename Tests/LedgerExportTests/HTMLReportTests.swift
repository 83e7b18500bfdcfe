import ApprovalLedger
import Foundation
import Testing

@Suite("HTML report")
struct HTMLReportTests {
    /// November 2026 on a ledger, one day after another: on day d, 1 + d % 3 requests opened
    /// from 10:00, ten minutes apart, approved from 12:00 the same day, or from 09:00 the next
    /// day when d is a multiple of 5 (so day 30's are still pending on 1 December); and
    /// `stale`, opened on the 1st at 08:00 and never decided.
    struct Month {
        let fixture: ExportFixture
        /// When each request opened and stopped being pending (nil: never), in ms.
        let requests: [String: (opened: Int64, resolved: Int64?)]

        static let day: Int64 = 86_400_000
        static func time(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Timestamp {
            Timestamp(millisecondsSinceEpoch: Timestamp("2026-11-01T00:00:00.000Z")!.millisecondsSinceEpoch
                + Int64(day - 1) * Self.day + Int64(hour * 60 + minute) * 60_000)
        }
        static func opened(on day: Int) -> Int { 1 + day % 3 }

        static func make() async throws -> Month {
            let fixture = try await ExportFixture.make(requests: false)
            let approvals = Approvals(ledger: fixture.ledger)
            var requests: [String: (opened: Int64, resolved: Int64?)] = [:]
            func open(_ id: String, at time: Timestamp) async throws {
                fixture.clock.set(time)
                _ = try await approvals.open(
                    OpenRequest(requestID: id, action: "deploy.promote", resource: "svc/\(id)", environment: "prod", summary: id,
                                riskInputs: ["blast_radius": "30"]),
                    signer: fixture.alice)
                requests[id] = (time.millisecondsSinceEpoch, nil)
            }
            try await open("stale", at: time(1, 8))
            var carried: [(String, Timestamp)] = []
            for day in 1...30 {
                for (id, time) in carried {
                    fixture.clock.set(time)
                    _ = try await approvals.approve(id, reason: "next morning", signer: fixture.bob)
                    requests[id]?.resolved = time.millisecondsSinceEpoch
                }
                carried = []
                for index in 0..<Self.opened(on: day) {
                    try await open("m\(day)-\(index)", at: time(day, 10, 10 * index))
                    carried.append(("m\(day)-\(index)", day % 5 == 0 ? time(day + 1, 9, index) : time(day, 12, index)))
                }
                if day % 5 != 0 {
                    for (id, time) in carried {
                        fixture.clock.set(time)
                        _ = try await approvals.approve(id, reason: "same day", signer: fixture.bob)
                        requests[id]?.resolved = time.millisecondsSinceEpoch
                    }
                    carried = []
                }
            }
            return Month(fixture: fixture, requests: requests)
        }

        /// The report of [since, until), generated on 5 December.
        func report(since: Timestamp, until: Timestamp) throws -> HTMLReport {
            let ledger = fixture.ledger
            let plan = try ExportPlan.make(ledger: ledger, scope: ExportScope(since: since, until: until))
            let period = try PeriodRecord.read(ledger: ledger, plan: plan, keepHistory: true)
            return HTMLReport(
                period: period, verification: try Verifier().verify(ledger), generatedAt: Self.time(35, 0), generator: "test")
        }

        /// Requests pending at `ms`, counted minute by minute from the schedule, not by the code under test.
        func pending(at ms: Int64) -> Int {
            requests.values.filter { $0.opened <= ms && ($0.resolved.map { $0 > ms } ?? true) }.count
        }
    }

    static func svg(_ html: String, titled title: String) throws -> String {
        let start = try #require(html.range(of: #"aria-label="\#(title)"#))
        let end = try #require(html.range(of: "</svg>", range: start.upperBound..<html.endIndex))
        return String(html[start.lowerBound..<end.upperBound])
    }

    @Test("A month's pending queue is one step per day, at the day's peak and over its mean, not a block of every change")
    func monthOfPendingQueue() async throws {
        let month = try await Month.make()
        let report = try month.report(since: Month.time(1, 0), until: Month.time(31, 0))
        let series = try #require(report.series)
        #expect(series.widthMs == Month.day)
        #expect(series.buckets.map(\.startMs) == (1...30).map { Month.time($0, 0).millisecondsSinceEpoch })
        for (index, bucket) in series.buckets.enumerated() {
            let minutes = (0..<1440).map { bucket.startMs + Int64($0) * 60_000 }.map(month.pending(at:))
            #expect(bucket.peakPending == minutes.max(), "day \(index + 1)")
            #expect(abs(bucket.meanPending - Double(minutes.reduce(0, +)) / 1440) < 1e-9, "day \(index + 1)")
            #expect(bucket.openedTotal == Month.opened(on: index + 1) + (index == 0 ? 1 : 0), "day \(index + 1)")
        }
        // The last day's requests wait into December; the stale one never ends.
        #expect(series.buckets.last?.opened[.pending] == Month.opened(on: 30))
        #expect(report.metrics.pendingDepth == 1 + Month.opened(on: 30))

        let html = report.text
        #expect(html.contains("Pending queue per day"))
        let queue = try Self.svg(html, titled: "Pending requests per day: the most at once, and the mean")
        let line = try #require(queue.firstMatch(of: #/<path d="([^"]+)" class="line"/>/#)?.output.1)
        // M x y, then H x V y for each further day, then H to the right edge.
        let steps = line.split(separator: " ").filter { $0.hasPrefix("H") }.map { Double($0.dropFirst())! }
        #expect(steps.count == 30)
        let widths = zip(steps.dropFirst(), steps).map { $0 - $1 }
        #expect(widths.allSatisfy { abs($0 - 432.0 / 30) < 0.15 }, "\(widths)")
        #expect(line.split(separator: " ").filter { $0.hasPrefix("V") }.count == 29)
        let ticks = queue.matches(of: #/class="tick">([^<]+)</#).map { String($0.output.1) }
        #expect(ticks.suffix(3) == ["2026-11-01", "2026-11-16", "2026-12-01"])

        let opened = try Self.svg(html, titled: "Requests opened per day by status")
        let bars = opened.matches(of: #/<title>(\d\d-\d\d) (\w+): (\d+)</title>/#)
        var perDay: [String: Int] = [:]
        for bar in bars { perDay[String(bar.output.1), default: 0] += Int(bar.output.3)! }
        #expect(perDay.count == 30)
        #expect(perDay["11-05"] == Month.opened(on: 5))
        #expect(report.metrics.requestsPerDay.map(\.count) == (1...30).map { Month.opened(on: $0) + ($0 == 1 ? 1 : 0) })
    }

    @Test("The report's SLIs are those of ledger metrics for the period, judged at its end, a request pending throughout included")
    func metricsOfAPeriod() async throws {
        let month = try await Month.make()
        let since = Month.time(10, 0), until = Month.time(20, 0)
        let report = try month.report(since: since, until: until)
        #expect(!report.period.requests.contains { $0.id == "stale" })
        let query = MetricsQuery(now: until, since: since, until: until, chain: .valid)
        let expected = try await Approvals(ledger: month.fixture.ledger).metrics(query)
        #expect(report.metrics == expected)
        #expect(report.metrics.stalled.map(\.requestID) == ["stale"])
        #expect(report.text.contains("ledger metrics --since \(since) --until \(until) --now \(until) --verify"))
        // Day 15's requests waited overnight, until before the 16th's opened.
        let series = try #require(report.series)
        #expect(series.buckets.count == 10)
        #expect(series.buckets[5].peakPending == 1 + Month.opened(on: 15))
        #expect(series.buckets[6].peakPending == 1 + max(Month.opened(on: 15), Month.opened(on: 16)))
        #expect(series.buckets[6].meanPending > series.buckets[7].meanPending)
    }

    @Test("Spans up to four days go hour by hour; longer ones day by day, in runs of days past 92")
    func buckets() {
        func request(_ id: String, opened: Int64, resolved: Int64?, outcome: RequestState.Status?) -> RequestTimings {
            RequestTimings(
                requestID: id, environment: "prod", action: "deploy", openedMs: opened, deadlineMs: opened + 3_600_000,
                resolvedMs: resolved, outcome: outcome, lastSeq: 1)
        }
        let start = Timestamp("2026-01-01T06:30:00.000Z")!
        let base = start.millisecondsSinceEpoch
        let facts = MetricsFacts(requests: [
            request("a", opened: base, resolved: base + 7_200_000, outcome: .granted),
            // A break-glass bypass is never pending.
            request("b", opened: base + 60_000, resolved: base + 60_000, outcome: .bypassed),
        ])
        let now = Timestamp(millisecondsSinceEpoch: base + 400 * 86_400_000)
        let query = MetricsQuery(now: now)

        let hours = ReportSeries(facts: facts, query: query, start: start, end: start.adding(milliseconds: 4 * 86_400_000))
        #expect(hours?.widthMs == 3_600_000)
        #expect(hours?.buckets.count == 97)
        #expect(hours?.buckets.first?.startMs == base - 1_800_000)
        #expect(hours?.buckets.prefix(4).map(\.peakPending) == [1, 1, 1, 0])
        #expect(hours?.buckets.first?.opened == [.granted: 1, .bypassed: 1])

        let days = ReportSeries(facts: facts, query: query, start: start, end: start.adding(milliseconds: 30 * 86_400_000))
        #expect(days?.widthMs == 86_400_000)
        // 06:30 on the 1st to 06:30 on the 31st: 31 days touched.
        #expect(days?.buckets.count == 31)
        // Two hours pending in the 17.5 hours of the first day the span covers.
        #expect(days?.buckets.first?.meanPending == 7_200_000.0 / 63_000_000)

        let year = ReportSeries(facts: facts, query: query, start: start, end: now)
        #expect(year?.widthMs == Int64(5 * 86_400_000))
        #expect((year?.buckets.count ?? 0) <= 92)
        #expect(year?.buckets.reduce(0) { $0 + $1.openedTotal } == 2)

        #expect(ReportSeries(facts: facts, query: query, start: start, end: start) == nil)
    }
}
