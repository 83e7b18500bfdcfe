internal import GRDB
internal import LedgerDomain

/// The rows of some projected requests as statement arguments, per table in
/// `ProjectionWriter.tables` order, in chunks of up to `chunk` rows for one multi-row insert
/// each: built wherever the projections are computed (on another core, in a rebuild), bound on
/// the writer's thread, which then runs one statement per chunk instead of one per row.
struct ProjectionRows: Sendable {
    static let chunk = 32

    /// Per table, its chunks: how many rows, and their values one row after another.
    var tables: [[(rows: Int, arguments: StatementArguments)]]

    init(_ projections: [RequestProjection]) {
        // A chunk's worth of rows, or a row per request for fewer (an append projects one).
        let rows = min(Self.chunk, projections.count)
        var tables = ProjectionWriter.columns.map { TableChunks(capacity: $0.count * rows) }
        for projection in projections {
            RequestRow(projection).append(to: &tables[0].values)
            tables[0].endRow()
            tables[1].values.append(contentsOf: ProjectionValues.timings(projection.timings))
            tables[1].endRow()
            for vote in projection.votes {
                tables[2].values.append(contentsOf: ProjectionValues.vote(vote))
                tables[2].endRow()
            }
            for attempt in projection.attempts {
                tables[3].values.append(contentsOf: ProjectionValues.attempt(attempt))
                tables[3].endRow()
            }
            for execution in projection.executions {
                tables[4].values.append(contentsOf: ProjectionValues.execution(execution))
                tables[4].endRow()
            }
        }
        self.tables = tables.map { $0.finished() }
    }

    /// One table's rows, gathered into chunks as they come.
    private struct TableChunks {
        var chunks: [(rows: Int, arguments: StatementArguments)] = []
        /// The values of the chunk being filled, one row after another: existentials, which
        /// GRDB turns into `DatabaseValue`s with a witness call each. An array of
        /// `DatabaseValue`s would cost more: GRDB's initializer maps it through a key path.
        var values: [(any DatabaseValueConvertible)?] = []
        var rows = 0

        /// The buffer is sized once, for `capacity` values, and kept from chunk to chunk.
        init(capacity: Int) {
            values.reserveCapacity(capacity)
        }

        /// Counts the row whose values were just appended; closes the chunk when it is full.
        mutating func endRow() {
            rows += 1
            guard rows == ProjectionRows.chunk else { return }
            chunks.append((rows, StatementArguments(values)))
            values.removeAll(keepingCapacity: true)
            rows = 0
        }

        /// The chunks, the last one partly filled.
        func finished() -> [(rows: Int, arguments: StatementArguments)] {
            rows == 0 ? chunks : chunks + [(rows, StatementArguments(values))]
        }
    }
}
