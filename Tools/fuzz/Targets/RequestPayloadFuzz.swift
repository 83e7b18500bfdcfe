// libFuzzer target for `RequestPayload(bytes:)`, which reads the members the fold needs straight
// from a stored payload's bytes (`JSONMemberReader`), as a rebuild does for every event. Build
// and run: Tools/fuzz/run.sh payload 600
import LedgerDomain
import LedgerFormat

/// Reads the input as a stored payload. The members must be exactly those of the parsed
/// payload, or none when the parser refuses it: a rebuild must see what the appends and the
/// verifier see. A difference, a crash or a trap is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequestPayload(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let parsed = (try? JSONParser.parse(bytes)) ?? .object(JSONObject())
    guard RequestPayload(bytes: bytes) == RequestPayload(parsed) else {
        fatalError("members read from the bytes differ from the parsed payload's: \(String(decoding: bytes, as: UTF8.self))")
    }
    return 0
}
