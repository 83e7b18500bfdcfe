internal import Foundation
public import LedgerCrypto

/// A file an export writes: buffered, created beside its final path and renamed into place
/// only when complete, so an interrupted export never leaves a truncated file that looks
/// whole. `-` means standard output. An existing file is never overwritten.
public final class OutputFile {
    public let path: String
    private let temporaryPath: String?
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private let hasher = SHA256()
    /// Bytes written so far (including those still buffered).
    public private(set) var count = 0

    /// Creates the file. - Throws: `ExportError.output` when `path` exists or cannot be created.
    public init(path: String) throws {
        self.path = path
        if path == "-" {
            temporaryPath = nil
            handle = FileHandle.standardOutput
            return
        }
        try Self.refuseExisting(path)
        let temporary = path + ".partial-\(UUID().uuidString.prefix(8))"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary) else {
            throw ExportError(.output, "cannot create '\(path)': check that its directory exists and is writable", path: path)
        }
        temporaryPath = temporary
        self.handle = handle
    }

    deinit {
        if let temporaryPath { try? FileManager.default.removeItem(atPath: temporaryPath) }
    }

    public func write(_ bytes: some Sequence<UInt8>) throws {
        let before = buffer.count
        buffer.append(contentsOf: bytes)
        count += buffer.count - before
        if buffer.count >= 1 << 20 { try flush() }
    }

    public func write(_ text: String) throws { try write(text.utf8) }

    /// Writes what is buffered, syncs, and moves the file to its final path.
    /// - Returns: the SHA-256 of everything written.
    @discardableResult
    public func finish() throws -> SHA256Digest {
        try flush()
        let digest = hasher.finalize()
        guard let temporaryPath else { return digest }
        do {
            try handle.synchronize()
            try handle.close()
            try Self.refuseExisting(path)
            try FileManager.default.moveItem(atPath: temporaryPath, toPath: path)
            return digest
        } catch let error as ExportError {
            throw error
        } catch {
            throw ExportError(.output, "cannot write '\(path)': \(error.localizedDescription)", path: path)
        }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        do { try handle.write(contentsOf: buffer) } catch {
            throw ExportError(.output, "cannot write '\(path)': \(error.localizedDescription) (disk full?)", path: path)
        }
        hasher.update(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    static func refuseExisting(_ path: String) throws {
        if FileManager.default.fileExists(atPath: path) {
            throw ExportError(.output, "'\(path)' already exists; an export never overwrites. Choose another --out.", path: path)
        }
    }
}
