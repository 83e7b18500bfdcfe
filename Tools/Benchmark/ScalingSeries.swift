/// One operation timed on ledgers of growing size: what the scaling table, the plot and the
/// linearity budget read.
///
/// Appends and verifies carry a probe: the crypto limit that bounds them, measured just before
/// and just after each run (Ed25519 signs/s on one core, verifies/s on all cores), so that
/// their share of it can be read despite the machine's drift.
struct ScalingSeries: Equatable {
    /// One timing of the operation.
    struct Sample: Equatable {
        var wallSeconds: Double
        var cpuSeconds: Double
        /// Peak resident memory of the process(es) doing the work; for several writers, the
        /// largest of them.
        var peakResidentBytes: Int
        /// The limit measured around this timing (mean of before and after), if one bounds it.
        var probe: Double?
    }

    /// The operation at one ledger size.
    struct Point: Equatable {
        /// Events in the ledger the operation ran on (for appends: the events appended).
        var ledgerEvents: Int
        /// Events the operation processed: its time per event divides by this.
        var events: Int
        var samples: [Sample]

        var seconds: Statistic { Statistic(samples.map(\.wallSeconds))! }
        var microsecondsPerEvent: Double { seconds.median * 1e6 / Double(events) }
        var cpuMicrosecondsPerEvent: Double { Statistic(samples.map(\.cpuSeconds))!.median * 1e6 / Double(events) }
        var eventsPerSecond: Double { Double(events) / seconds.median }
        var peakResidentBytes: Int { samples.map(\.peakResidentBytes).max() ?? 0 }
        /// Median of each run's rate ÷ its probe; nil without probes.
        var probeShare: Double? {
            Statistic(samples.compactMap { sample in sample.probe.map { Double(events) / sample.wallSeconds / $0 } })?.median
        }
    }

    /// Short name, e.g. "verify" or "append, 2 writers".
    var operation: String
    /// The command (or API) timed, for the docs.
    var command: String
    var points: [Point]
    /// Drawn on the time-versus-size plot.
    var plotted = false

    private var ends: (first: Point, last: Point)? {
        guard let first = points.min(by: { $0.ledgerEvents < $1.ledgerEvents }),
              let last = points.max(by: { $0.ledgerEvents < $1.ledgerEvents }), last.ledgerEvents > first.ledgerEvents
        else { return nil }
        return (first, last)
    }

    /// Median wall time per event at the largest size ÷ at the smallest: 1 is linear, below 1
    /// better. The budget judges this.
    var growth: Double? { ends.map { $0.last.microsecondsPerEvent / $0.first.microsecondsPerEvent } }

    /// Median CPU time per event at the largest size ÷ at the smallest: steadier than wall time
    /// on a shared machine, blind to waiting for the disk.
    var cpuGrowth: Double? { ends.map { $0.last.cpuMicrosecondsPerEvent / $0.first.cpuMicrosecondsPerEvent } }

    func point(at ledgerEvents: Int) -> Point? { points.first { $0.ledgerEvents == ledgerEvents } }
}
