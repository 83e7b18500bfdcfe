/// What the stored projection rows of one request are beside its projection.
public struct StoredProjectionComparison: Sendable {
    /// The tables whose rows for the request differ from the projection's, in digest order.
    public var differingTables: [String]
    /// How many rows the tables hold for the request.
    public var storedRows: Int

    public init(differingTables: [String], storedRows: Int) {
        self.differingTables = differingTables
        self.storedRows = storedRows
    }
}
