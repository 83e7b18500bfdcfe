import ApprovalLedger
import Foundation

/// Files named on the command line (policies, checkpoints), read with a bound: at most
/// `limit + 1` bytes are ever read, so a huge file, a FIFO or `/dev/zero` cannot exhaust memory,
/// and the caller can tell "too large" from "fits".
enum InputFile {
    /// Up to `limit + 1` bytes of the file at `path`.
    /// - Throws: `LedgerError.notFound` when it cannot be opened or read.
    static func read(_ path: String, what: String, limit: Int) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw LedgerError(.notFound, "cannot read \(what) '\(path)': no such file, or no permission")
        }
        defer { try? handle.close() }
        do {
            return [UInt8](try handle.read(upToCount: limit + 1) ?? Data())
        } catch {
            throw LedgerError(.notFound, "cannot read \(what) '\(path)': \(error.localizedDescription)")
        }
    }
}
