internal import Foundation

/// Reads a small file of a bundle (the manifest, a checkpoint) that someone else made: only a
/// regular file (opening a FIFO would wait forever for a writer) and at most `limit + 1` bytes
/// (a huge file cannot exhaust memory, and the caller can tell "too large" from "fits").
enum BundleFileRead {
    /// The first `limit + 1` bytes of the regular file at `path`, or nil when it is not a
    /// regular file or cannot be read.
    static func bytes(_ path: String, limit: Int) -> [UInt8]? {
        guard let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType,
              type == .typeRegular, let handle = FileHandle(forReadingAtPath: path)
        else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: limit + 1) else { return nil }
        return [UInt8](data)
    }
}
