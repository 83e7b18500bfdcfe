import Foundation
import Synchronization

/// A one-line progress display on stderr, only when stderr is a terminal: a count, or a bar
/// when the total is known. Redraws at most once per percent (or per 4096 events without a
/// total), so it costs nothing next to the work it reports.
final class ProgressLine: Sendable {
    private let label: Mutex<String>
    private let total: Int64?
    private let unit: String
    private let lastDrawn = Mutex<Int64>(-1)

    /// nil unless stderr is a terminal. `total`, when known, draws a bar.
    init?(label: String, total: Int64? = nil, unit: String = "events") {
        guard Output.stderrIsTerminal else { return nil }
        self.label = Mutex(label)
        self.total = total
        self.unit = unit
    }

    /// Shows `count` events done, out of `total` (or the one given at init) when known;
    /// `label` replaces the label.
    func update(_ count: Int64, of total: Int64? = nil, label newLabel: String? = nil) {
        let total = total ?? self.total
        if let newLabel { label.withLock { $0 = newLabel } }
        let step = total.map { max(1, $0 / 100) } ?? 4096
        let due = lastDrawn.withLock { last in
            guard newLabel != nil || last < 0 || count / step != last / step || count == total else { return false }
            last = count
            return true
        }
        guard due else { return }
        let name = label.withLock { $0 }
        let line: String
        if let total, total > 0 {
            let fraction = min(1, Double(count) / Double(total))
            let filled = Int(fraction * 30)
            let bar = String(repeating: "=", count: filled) + (filled < 30 ? ">" + String(repeating: " ", count: 29 - filled) : "")
            line = "\(name) [\(bar)] \(Int(fraction * 100))%  \(count)/\(total) \(unit)"
        } else {
            line = "\(name) \(count) \(unit)…"
        }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
    }

    func finish() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
