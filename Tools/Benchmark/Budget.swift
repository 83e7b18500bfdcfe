/// A requirement the benchmark checks, with the measured figure that meets it or not.
struct Budget: Equatable {
    var name: String
    /// The figure and the bound, e.g. "62.9% of Ed25519 sign/s, 1 core (≥ 70%)".
    var detail: String
    var passes: Bool
}
