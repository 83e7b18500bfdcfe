/// Earlier events a walk needs again: a request whose replay it evicted, or one that began
/// before the checkpoint a walk started from. Every `EventSnapshot` answers them.
public protocol EarlierEvents {
    /// The type column of the stream's first row (lowest stream version), nil when it has none.
    func firstType(stream: String) throws -> String?
    /// The rows of `stream` with a seq below `seq`, in stream-version order.
    func rows(stream: String, before seq: Int64) throws -> [StoredEvent]
    /// The highest stream version among the rows of `stream` with a seq below `seq`.
    func lastStreamVersion(stream: String, before seq: Int64) throws -> Int64?
    /// The row at `seq` (a redaction's target), nil when there is none.
    func row(seq: Int64) throws -> StoredEvent?
}
