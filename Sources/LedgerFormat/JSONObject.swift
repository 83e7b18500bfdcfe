/// The members of a JSON object, unique by exact key bytes, ordered by UTF-16 code units.
///
/// Swift's `String ==` treats canonically equivalent strings ("é" and "e\u{301}") as equal;
/// JSON and RFC 8785 do not, so keys here are compared by their UTF-8 bytes.
public struct JSONObject: Sendable, Hashable, Sequence {
    /// The members in canonical (UTF-16 code unit) order.
    public private(set) var members: [(key: String, value: JSONValue)] = []

    public init() {}

    /// The number of members.
    public var count: Int { members.count }

    /// The keys in canonical order.
    public var keys: [String] { members.map(\.key) }

    /// Reads, replaces, inserts or (with nil) removes a member.
    public subscript(key: String) -> JSONValue? {
        get {
            let (index, found) = position(of: key)
            return found ? members[index].value : nil
        }
        set {
            let (index, found) = position(of: key)
            switch (found, newValue) {
            case (true, let value?): members[index].value = value
            case (true, nil): members.remove(at: index)
            case (false, let value?): members.insert((key, value), at: index)
            case (false, nil): break
            }
        }
    }

    /// Inserts a member unless one with the same key bytes exists; returns false for a duplicate.
    public mutating func insertNew(_ key: String, _ value: JSONValue) -> Bool {
        // Parsers usually deliver keys in order already, so try the end first.
        if let last = members.last, Self.precedes(last.key, key) {
            members.append((key, value))
            return true
        }
        let (index, found) = position(of: key)
        guard !found else { return false }
        members.insert((key, value), at: index)
        return true
    }

    public func makeIterator() -> some IteratorProtocol<(key: String, value: JSONValue)> {
        members.makeIterator()
    }

    /// RFC 8785 §3.2.3 order: lexicographic by UTF-16 code units.
    ///
    /// Compared on the UTF-8 bytes while they agree: at the first differing byte, two ASCII
    /// bytes order the strings exactly as their UTF-16 code units do (everything before is
    /// equal), which is the common case for keys and costs no transcoding. Otherwise the
    /// UTF-16 comparison decides.
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        var lhs = lhs, rhs = rhs
        let fast: Bool? = lhs.withUTF8 { a in
            rhs.withUTF8 { b in
                let common = Swift.min(a.count, b.count)
                var index = 0
                while index < common, a[index] == b[index] { index += 1 }
                if index == common { return a.count < b.count }
                guard a[index] < 0x80, b[index] < 0x80 else { return nil }
                return a[index] < b[index]
            }
        }
        return fast ?? lhs.utf16.lexicographicallyPrecedes(rhs.utf16)
    }

    private func position(of key: String) -> (index: Int, found: Bool) {
        var low = 0
        var high = members.count
        while low < high {
            let mid = (low + high) / 2
            if Self.precedes(members[mid].key, key) { low = mid + 1 } else { high = mid }
        }
        let found = low < members.count && members[low].key.utf8.elementsEqual(key.utf8)
        return (low, found)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.key.utf8.elementsEqual($1.key.utf8) && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(members.count)
        for member in members {
            hasher.combine(member.key.utf8.count)
            for byte in member.key.utf8 { hasher.combine(byte) }
            hasher.combine(member.value)
        }
    }
}
