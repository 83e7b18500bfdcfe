internal import Foundation

/// Reads a file line by line in bounded chunks, so a bundle of any length is checked in
/// constant memory (apart from the longest line).
struct LineReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    private let maxLine: Int

    /// Opens `path`. - Throws: when it cannot be read.
    init(path: String, maxLine: Int) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ExportError(.notABundle, "cannot read '\(path)'", path: path)
        }
        self.handle = handle
        self.maxLine = maxLine
    }

    /// One line without its LF, and whether the LF was there (false only for a last line
    /// that ends the file without one, or for a line longer than the limit, cut there).
    mutating func next() throws -> (line: ArraySlice<UInt8>, terminated: Bool)? {
        while true {
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
            start = 0
        }
        let chunk = try handle.read(upToCount: 4 << 20) ?? Data()
        if chunk.isEmpty { atEnd = true } else { buffer += chunk }
    }

    private mutating func skipPastNewline() throws {
        buffer.removeAll(keepingCapacity: true)
        start = 0
        while !atEnd {
            let chunk = try handle.read(upToCount: 4 << 20) ?? Data()
            if chunk.isEmpty { atEnd = true; return }
            if let newline = chunk.firstIndex(of: 0x0A) {
                buffer = [UInt8](chunk[(newline + 1)...])
                return
            }
        }
    }

    func close() { try? handle.close() }
}
