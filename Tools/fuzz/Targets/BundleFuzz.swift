// libFuzzer target for the evidence bundle readers (`ledger verify --bundle DIR`): the
// manifest, and each line of events.jsonl. Build and run: Tools/fuzz/run.sh bundle 600
import LedgerExport
import LedgerFormat

/// Reads the input as a manifest file, and each of its lines as an events.jsonl line. Both
/// readers accept only canonical forms, so an accepted manifest must be exactly its own file
/// form, and an accepted line's seq must be its envelope's.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBundle(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let manifest = try? BundleManifest(fileBytes: bytes), manifest.fileBytes != bytes {
        fatalError("an accepted manifest is not its own canonical file form")
    }
    for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
        if let event = try? EventLine(line: line), let envelope = event.envelope, envelope.seq != event.seq {
            fatalError("an accepted line's seq \(event.seq) is not its envelope's \(envelope.seq)")
        }
    }
    return 0
}
