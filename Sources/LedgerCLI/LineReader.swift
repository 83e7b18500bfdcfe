#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads lines from a file descriptor as they arrive, so `append --jsonl` can commit and
/// acknowledge each line while its producer is still writing, and refuses a line longer than
/// a limit, so a broken or hostile producer cannot make the tool buffer without end.
struct LineReader {
    /// A line longer than the limit, by its 1-based number.
    struct LineTooLong: Error {
        let line: Int
        let limit: Int
    }

    /// A read(2) failure other than an interruption.
    struct ReadFailed: Error {
        let errno: Int32
    }

    let descriptor: Int32
    let maxLineBytes: Int
    /// The number of the line `next` returned last.
    private(set) var lineNumber = 0
    private var buffer: [UInt8] = []
    private var start = 0
    private var scanned = 0
    private var atEnd = false

    init(descriptor: Int32, maxLineBytes: Int) {
        self.descriptor = descriptor
        self.maxLineBytes = maxLineBytes
    }

    /// The next line without its line feed, or nil at the end of input. A last line without a
    /// line feed is returned too.
    mutating func next() throws -> [UInt8]? {
        while true {
            if let newline = buffer[scanned...].firstIndex(of: 0x0A) {
                guard newline - start <= maxLineBytes else { throw LineTooLong(line: lineNumber + 1, limit: maxLineBytes) }
                return take(upTo: newline, skipping: 1)
            }
            scanned = buffer.count
            guard buffer.count - start <= maxLineBytes else { throw LineTooLong(line: lineNumber + 1, limit: maxLineBytes) }
            if atEnd {
                return start < buffer.count ? take(upTo: buffer.count, skipping: 0) : nil
            }
            try fill()
        }
    }

    private mutating func take(upTo end: Int, skipping separator: Int) -> [UInt8] {
        let line = Array(buffer[start..<end])
        start = end + separator
        // Drop consumed bytes once they outweigh what is left, so the buffer stays small.
        if start > 65536 && start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
        scanned = start
        lineNumber += 1
        return line
    }

    private mutating func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
                return
            }
            if count == 0 {
                atEnd = true
                return
            }
            if errno != EINTR { throw ReadFailed(errno: errno) }
        }
    }
}
