// libFuzzer target for `JSONParser`, the reader of every JSON text the ledger accepts
// (payloads, envelopes, JSON Lines, checkpoint files). Build and run: Tools/fuzz/run.sh json 600
import LedgerFormat

/// Parses the input. When it is accepted, `readabilityProblem` must say exactly whether its
/// canonical form can be read back (the writer stores nothing else), and a readable canonical
/// form must parse back to the same bytes (RFC 8785 is idempotent). A crash, a trap, or
/// either property broken is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let value = try? JSONParser.parse(bytes) else { return 0 }
    let canonical = CanonicalJSON.encode(value)
    let problem = value.readabilityProblem(maxDepth: JSONParser.Limits.default.maxDepth)
    guard let again = try? JSONParser.parse(canonical) else {
        if problem == nil { fatalError("canonical form refused but no problem reported: \(canonical)") }
        return 0
    }
    if let problem { fatalError("problem reported (\(problem)) but canonical form is readable: \(canonical)") }
    guard CanonicalJSON.encode(again) == canonical else {
        fatalError("canonical form is not stable: \(canonical)")
    }
    return 0
}
