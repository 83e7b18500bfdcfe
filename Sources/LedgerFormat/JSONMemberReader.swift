/// Reads chosen members of a JSON object straight from its bytes, making no `JSONValue` tree:
/// for hot paths that need a few typed members of many small objects (a projection replay
/// reads a dozen members of every event's payload).
///
/// It accepts what `JSONParser` accepts, narrowed to objects whose keys, at every level, are
/// ASCII, unescaped and in strictly ascending order, as canonical JSON (RFC 8785) writes the
/// keys of every payload the ledger stores. On any other input `read` returns false and the
/// caller parses the bytes instead. So whenever it reads, `JSONParser.parse` would have
/// accepted the input, with the same members (ascending keys cannot repeat). Keys are matched
/// by their bytes, as JSON compares them, and never made into strings.
///
/// Not `Copyable`: it points into the input, which lives only for the duration of `read`.
public struct JSONMemberReader: ~Copyable {
    /// Why the reader stopped: the input is not JSON, or not in the form it reads.
    public struct Unreadable: Error {}

    /// Where the reader is in the object being read.
    private struct Level {
        /// The names looked for in this object.
        let names: Names
        /// The first of `names.sorted` that may still come: keys ascend, so a walk through the
        /// names beside the keys matches them.
        var nextName = 0
        /// Where the previous key lies in the input, which the next must follow; nil before
        /// the first member.
        var previousKey: Range<Int>?
        /// True once the current member's value has been read or skipped.
        var valueRead = true
        /// True once the closing brace has been read.
        var closed = false

        init(_ names: Names) { self.names = names }
    }

    private var parser: JSONParser
    private var level: Level
    /// The nesting depth of the object being read, counted as `JSONParser` counts it.
    private var depth = 1

    private init(parser: JSONParser, names: Names) {
        self.parser = parser
        level = Level(names)
    }

    /// Reads the object `bytes` hold with `body`, which takes the members named in `names` with
    /// `nextMember()` and one read of each value it wants, and may leave the rest: every member
    /// is checked either way.
    ///
    /// - Returns: false when the input is not a JSON object in canonical key order, or `body`
    ///   threw; what `body` took from it is then meaningless.
    public static func read(
        _ bytes: [UInt8], names: Names, limits: JSONParser.Limits = .default,
        _ body: (inout JSONMemberReader) throws(Unreadable) -> Void
    ) -> Bool {
        guard bytes.count <= limits.maxBytes, limits.maxDepth >= 1 else { return false }
        return bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONMemberReader(parser: JSONParser(input: buffer, maxDepth: limits.maxDepth), names: names)
            do {
                reader.parser.skipWhitespace()
                guard try reader.parser.peek() == UInt8(ascii: "{") else { return false }
                reader.parser.index += 1
                try body(&reader)
                try reader.close()
                reader.parser.skipWhitespace()
                return reader.parser.index == buffer.count
            } catch {
                return false
            }
        }
    }

    /// The next member whose key is one of the names looked for in the object being read, as
    /// the name's position in the list given, or nil after the object's last member. Other
    /// members are skipped, and checked, as is the previous member's value if it was not read.
    public mutating func nextMember() throws(Unreadable) -> Int? {
        do {
            while !level.closed {
                if !level.valueRead { try skipValue(depth: depth) }
                parser.skipWhitespace()
                switch try parser.peek() {
                case UInt8(ascii: "}"):
                    parser.index += 1
                    level.closed = true
                    return nil
                case UInt8(ascii: ","):
                    guard level.previousKey != nil else { throw Unreadable() }
                    parser.index += 1
                    parser.skipWhitespace()
                default:
                    guard level.previousKey == nil else { throw Unreadable() }
                }
                let key = try readKey(after: level.previousKey)
                level.previousKey = key
                level.valueRead = false
                if let index = matchName(key) { return index }
            }
            return nil
        } catch {
            throw Unreadable()
        }
    }

    /// The current member's value when it is a string, else nil.
    public mutating func string() throws(Unreadable) -> String? {
        try value { reader throws in
            guard try reader.parser.peek() == UInt8(ascii: "\"") else { return nil }
            return try reader.parser.parseString()
        }
    }

    /// The current member's value when it is an integer within ±(2^53 − 1), else nil: what
    /// `JSONValue.integerValue` gives.
    public mutating func integer() throws(Unreadable) -> Int64? {
        try value { reader throws in
            switch try reader.parser.peek() {
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): JSONValue.number(try reader.parser.parseNumber()).integerValue
            default: nil
            }
        }
    }

    /// The current member's value when it is `true` or `false`, else nil.
    public mutating func bool() throws(Unreadable) -> Bool? {
        try value { reader throws in
            switch try reader.parser.peek() {
            case UInt8(ascii: "t"): try reader.parser.expectLiteral("true"); return true
            case UInt8(ascii: "f"): try reader.parser.expectLiteral("false"); return false
            default: return nil
            }
        }
    }

    /// The current member's value when it is a string holding a `Timestamp`, else nil: what
    /// `string().flatMap(Timestamp.init)` gives, without making the string.
    public mutating func timestamp() throws(Unreadable) -> Timestamp? {
        try value { reader throws in
            guard try reader.parser.peek() == UInt8(ascii: "\"") else { return nil }
            let start = reader.parser.index
            try reader.parser.skipString()
            let text = UnsafeBufferPointer(rebasing: reader.parser.input[(start + 1)..<(reader.parser.index - 1)])
            guard text.contains(UInt8(ascii: "\\")) else { return Timestamp(utf8: text) }
            reader.parser.index = start
            return Timestamp(try reader.parser.parseString())
        }
    }

    /// The string elements of the current member's value when it is an array (other elements
    /// are skipped), else nil.
    public mutating func strings() throws(Unreadable) -> [String]? {
        try value { reader throws in
            guard try reader.parser.peek() == UInt8(ascii: "[") else { return nil }
            let depth = reader.depth + 1
            guard depth <= reader.parser.maxDepth else { throw Unreadable() }
            reader.parser.index += 1
            var strings: [String] = []
            reader.parser.skipWhitespace()
            if try reader.parser.peek() == UInt8(ascii: "]") {
                reader.parser.index += 1
                return strings
            }
            while true {
                reader.parser.skipWhitespace()
                if try reader.parser.peek() == UInt8(ascii: "\"") {
                    strings.append(try reader.parser.parseString())
                } else {
                    try reader.skipValue(depth: depth)
                }
                reader.parser.skipWhitespace()
                switch try reader.parser.peek() {
                case UInt8(ascii: ","): reader.parser.index += 1
                case UInt8(ascii: "]"): reader.parser.index += 1; return strings
                default: throw Unreadable()
                }
            }
        }
    }

    /// Reads the current member's value with `body` when it is an object, its members named in
    /// `names` in turn, as `read` does; returns false, the value skipped, when it is not an
    /// object.
    public mutating func object(
        names: Names, _ body: (inout JSONMemberReader) throws(Unreadable) -> Void
    ) throws(Unreadable) -> Bool {
        guard !level.valueRead, !level.closed else { throw Unreadable() }
        do {
            guard try parser.peek() == UInt8(ascii: "{") else {
                try skipValue(depth: depth)
                level.valueRead = true
                return false
            }
            guard depth + 1 <= parser.maxDepth else { throw Unreadable() }
        } catch {
            throw Unreadable()
        }
        parser.index += 1
        let outer = level
        level = Level(names)
        depth += 1
        try body(&self)
        try close()
        depth -= 1
        level = outer
        level.valueRead = true
        return true
    }

    /// Reads the current member's value with `read`, or skips it when `read` gives nil
    /// without consuming it (the value is of another kind).
    private mutating func value<T>(_ read: (inout JSONMemberReader) throws -> T?) throws(Unreadable) -> T? {
        guard !level.valueRead, !level.closed else { throw Unreadable() }
        do {
            let start = parser.index
            let value = try read(&self)
            if value == nil, parser.index == start { try skipValue(depth: depth) }
            level.valueRead = true
            return value
        } catch {
            throw Unreadable()
        }
    }

    /// Skips, and checks, the members `body` left, through the closing brace.
    private mutating func close() throws(Unreadable) {
        while try nextMember() != nil {}
    }

    /// The position in the names' list of the key lying at `key`, if it is one of them. Keys
    /// ascend, so the names before it are passed for good.
    private mutating func matchName(_ key: Range<Int>) -> Int? {
        let key = UnsafeBufferPointer(rebasing: parser.input[key])
        return level.names.bytes.withUnsafeBufferPointer { bytes in
            while level.nextName < level.names.sorted.count {
                let name = level.names.sorted[level.nextName]
                let order = Self.compare(UnsafeBufferPointer(rebasing: bytes[name.range]), key)
                if order > 0 { return nil }
                level.nextName += 1
                if order == 0 { return name.index }
            }
            return nil
        }
    }

    /// A key and its colon: an unescaped ASCII string that follows the key at `previous`, if
    /// any, in canonical order. Returns where the key's text lies.
    private mutating func readKey(after previous: Range<Int>?) throws -> Range<Int> {
        guard try parser.peek() == UInt8(ascii: "\"") else { throw Unreadable() }
        let start = parser.index + 1
        try parser.skipString()
        let key = start..<(parser.index - 1)
        guard parser.input[key].allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "\\") }),
              previous.map({ Self.compare(UnsafeBufferPointer(rebasing: parser.input[$0]), UnsafeBufferPointer(rebasing: parser.input[key])) < 0 }) ?? true
        else { throw Unreadable() }
        parser.skipWhitespace()
        guard try parser.peek() == UInt8(ascii: ":") else { throw Unreadable() }
        parser.index += 1
        parser.skipWhitespace()
        return key
    }

    /// Moves past one value, checking it as `JSONParser` would parse it at `depth` (objects
    /// also for canonical key order).
    private mutating func skipValue(depth: Int) throws {
        switch try parser.peek() {
        case UInt8(ascii: "{"):
            guard depth + 1 <= parser.maxDepth else { throw Unreadable() }
            parser.index += 1
            parser.skipWhitespace()
            if try parser.peek() == UInt8(ascii: "}") {
                parser.index += 1
                return
            }
            var previous: Range<Int>?
            while true {
                parser.skipWhitespace()
                previous = try readKey(after: previous)
                try skipValue(depth: depth + 1)
                parser.skipWhitespace()
                switch try parser.peek() {
                case UInt8(ascii: ","): parser.index += 1
                case UInt8(ascii: "}"): parser.index += 1; return
                default: throw Unreadable()
                }
            }
        case UInt8(ascii: "["):
            guard depth + 1 <= parser.maxDepth else { throw Unreadable() }
            parser.index += 1
            parser.skipWhitespace()
            if try parser.peek() == UInt8(ascii: "]") {
                parser.index += 1
                return
            }
            while true {
                parser.skipWhitespace()
                try skipValue(depth: depth + 1)
                parser.skipWhitespace()
                switch try parser.peek() {
                case UInt8(ascii: ","): parser.index += 1
                case UInt8(ascii: "]"): parser.index += 1; return
                default: throw Unreadable()
                }
            }
        case UInt8(ascii: "\""): try parser.skipString()
        case UInt8(ascii: "t"): try parser.expectLiteral("true")
        case UInt8(ascii: "f"): try parser.expectLiteral("false")
        case UInt8(ascii: "n"): try parser.expectLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try parser.parseNumber()
        default: throw Unreadable()
        }
    }
}
