extension JSONMemberReader {
    /// Member names to look for, ready to be matched against raw keys.
    public struct Names: Sendable {
        /// The names' bytes one after another, in ascending order.
        let bytes: [UInt8]
        /// Per name in ascending order: where its bytes lie, and its position in the list given.
        let sorted: [(range: Range<Int>, index: Int)]

        /// Names of ASCII characters.
        public init(_ names: [String]) {
            var bytes: [UInt8] = []
            var sorted: [(range: Range<Int>, index: Int)] = []
            for (index, name) in names.enumerated().sorted(by: { $0.element.utf8.lexicographicallyPrecedes($1.element.utf8) }) {
                sorted.append((bytes.count..<(bytes.count + name.utf8.count), index))
                bytes += name.utf8
            }
            self.bytes = bytes
            self.sorted = sorted
        }

        /// The position of `key` in the list given, comparing bytes; nil when it is not there.
        /// For the members of a parsed object, so that they are matched as the reader matches
        /// raw keys.
        public func index(of key: String) -> Int? {
            var key = key
            return key.withUTF8 { key in
                bytes.withUnsafeBufferPointer { bytes in
                    var low = 0
                    var high = sorted.count
                    while low < high {
                        let middle = (low + high) / 2
                        let order = JSONMemberReader.compare(UnsafeBufferPointer(rebasing: bytes[sorted[middle].range]), key)
                        if order == 0 { return sorted[middle].index }
                        if order < 0 { low = middle + 1 } else { high = middle }
                    }
                    return nil
                }
            }
        }
    }

    /// Byte order (negative, zero or positive), which for ASCII keys is the canonical (UTF-16
    /// code unit) order.
    static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        for offset in 0..<min(a.count, b.count) where a[offset] != b[offset] {
            return Int(a[offset]) - Int(b[offset])
        }
        return a.count - b.count
    }
}
