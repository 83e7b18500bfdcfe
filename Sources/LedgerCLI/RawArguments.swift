import ArgumentParser
import Foundation

/// The command line as the kernel passed it. `CommandLine.arguments` decodes each argument
/// with repair, so an invalid UTF-8 byte would become U+FFFD and be recorded, signed, as text
/// nobody typed; the raw bytes are checked first instead.
enum RawArguments {
    /// Why an argument is not valid UTF-8, or nil when every one is.
    static func utf8Problem() -> String? {
        let count = Int(CommandLine.argc)
        var previous: String?
        for index in 1..<max(count, 1) {
            guard let pointer = CommandLine.unsafeArgv[index] else { continue }
            let bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: strlen(pointer)))
            if let offset = invalidOffset(bytes) {
                let which = previous.map { $0.hasPrefix("--") && !$0.contains("=") ? "the value of \($0)" : "argument \(index)" } ?? "argument \(index)"
                return "\(which) is not valid UTF-8 (byte 0x\(String(bytes[offset], radix: 16, uppercase: true)) at offset \(offset)): "
                    + "the ledger records text exactly as given, so it refuses bytes it would have to replace; pass the text as UTF-8"
            }
            previous = String(decoding: bytes, as: UTF8.self)
        }
        return nil
    }

    /// The offset of the first byte that does not start or continue a valid UTF-8 sequence.
    static func invalidOffset(_ bytes: [UInt8]) -> Int? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
