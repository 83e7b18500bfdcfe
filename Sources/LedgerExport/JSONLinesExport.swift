public import LedgerStore
internal import LedgerFormat

/// `ledger export --format jsonl`: every event from seq 1 to the plan's end, one
/// `EventLine` each, with payloads disclosed as the plan says. The result verifies on its own
/// (docs/FORMAT.md §JSON Lines); it is also the `events.jsonl` of an evidence bundle.
public enum JSONLinesExport {
    /// Writes the lines to `output` (without finishing it).
    public static func write(
        ledger: Ledger, plan: ExportPlan, to output: OutputFile, progress: ((Int64) -> Void)? = nil
    ) throws -> ExportSummary {
        var summary = ExportSummary(format: "jsonl", path: output.path)
        summary.eventsInPeriod = plan.eventsInPeriod
        summary.requests = plan.requests.count
        var line: [UInt8] = []
        var lastEnvelope: [UInt8]?
        try ExportedEvent.forEach(in: ledger, plan: plan, progress: progress) { exported in
            line.removeAll(keepingCapacity: true)
            EventLine.write(exported.event, into: &line)
            try output.write(line)
            summary.count(exported)
            lastEnvelope = exported.event.envelopeBytes
        }
        summary.headHash = lastEnvelope.map { DomainSeparation.eventHash(envelopeBytes: $0) }
        summary.bytes = output.count
        return summary
    }
}
