internal import Foundation

/// Reads a file line by line in bounded chunks, so a bundle of any length is checked in
/// constant memory (apart from the longest line).
struct LineReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    private let maxLine: Int
    /// The file offset of `buffer[0]`.
    private var bufferOffset: Int64
    /// The file offset of the first byte of the line `next()` returned last, so that the line
    /// can be read again in place (`BundleEvents`).
    private(set) var lineOffset: Int64 = 0

    /// Opens `path` and reads it from byte `offset` on (the start of a line).
    /// - Throws: when it cannot be read.
    init(path: String, maxLine: Int, from offset: Int64 = 0) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ExportError(.notABundle, "cannot read '\(path)'", path: path)
        }
        if offset > 0 {
            do { try handle.seek(toOffset: UInt64(offset)) } catch {
                throw ExportError(.notABundle, "cannot read '\(path)' from byte \(offset)", path: path)
            }
        }
        self.handle = handle
        self.maxLine = maxLine
        bufferOffset = offset
    }

    /// One line without its LF, and whether the LF was there (false only for a last line
    /// that ends the file without one, or for a line longer than the limit, cut there).
    mutating func next() throws -> (line: ArraySlice<UInt8>, terminated: Bool)? {
        while true {
            lineOffset = bufferOffset + Int64(start)
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                defer { start = newline + 1 }
                // An overlong line whose LF is already buffered is cut like any other.
                guard newline - start <= maxLine else { return (buffer[start..<(start + maxLine)], false) }
                return (buffer[start..<newline], true)
            }
            if buffer.count - start > maxLine {
                // Skip to the next LF so one overlong line does not swallow the rest.
                let line = buffer[start..<(start + maxLine)]
                try skipPastNewline()
                return (line, false)
            }
            guard !atEnd else {
                guard start < buffer.count else { return nil }
                defer { start = buffer.count }
                return (buffer[start...], false)
            }
            try refill()
        }
    }

    private mutating func refill() throws {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            bufferOffset += Int64(start)
            start = 0
        }
        let chunk = try handle.read(upToCount: 4 << 20) ?? Data()
        if chunk.isEmpty { atEnd = true } else { buffer += chunk }
    }

    private mutating func skipPastNewline() throws {
        bufferOffset += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
        start = 0
        while !atEnd {
            let chunk = try handle.read(upToCount: 4 << 20) ?? Data()
            if chunk.isEmpty { atEnd = true; return }
            if let newline = chunk.firstIndex(of: 0x0A) {
                buffer = [UInt8](chunk[(newline + 1)...])
                bufferOffset += Int64(newline + 1)
                return
            }
            bufferOffset += Int64(chunk.count)
        }
    }

    func close() { try? handle.close() }
}
