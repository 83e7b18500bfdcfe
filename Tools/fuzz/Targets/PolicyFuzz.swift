// libFuzzer target for the policy reader: YAML (through Yams and its libyaml) into a
// validated `Policy`. Build and run: Tools/fuzz/run.sh policy 600
import LedgerDomain

/// Reads the input as the bytes of a policy file, as `ledger policy check` does. A policy that
/// is accepted must survive the trip the ledger makes it take: published as JSON, read back,
/// with the same content hash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPolicy(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let policy = try? Policy(yaml: bytes) else { return 0 }
    guard let republished = try? Policy(json: policy.jsonValue) else {
        fatalError("an accepted policy is refused once published as JSON: \(policy.name)")
    }
    guard republished.contentHash == policy.contentHash else {
        fatalError("an accepted policy changes when published as JSON: \(policy.name)")
    }
    return 0
}
