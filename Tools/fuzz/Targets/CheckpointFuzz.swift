// libFuzzer target for the checkpoint file reader (`ledger verify --anchor FILE`).
// Build and run: Tools/fuzz/run.sh checkpoint 600
import LedgerFormat

/// Reads the input as a checkpoint file. One that is accepted (the reader may accept a file
/// that is not canonical, docs/FORMAT.md §Checkpoints) must write back to a canonical file
/// that reads as the same checkpoint: an accepted anchor is exactly the statement signed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let checkpoint = try? Checkpoint(fileBytes: bytes) else { return 0 }
    guard let again = try? Checkpoint(fileBytes: checkpoint.fileBytes), again == checkpoint else {
        fatalError("an accepted checkpoint does not read back from its own file form")
    }
    return 0
}
