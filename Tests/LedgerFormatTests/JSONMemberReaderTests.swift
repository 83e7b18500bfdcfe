import LedgerFormat
import Testing

/// The member reader takes typed members straight from the bytes, and reads only what
/// `JSONParser` would accept, in canonical key order: on anything else it gives up, so that
/// its callers parse instead.
@Suite("JSON member reader")
struct JSONMemberReaderTests {
    /// What `read` took from an object: the members named `a`, `n`, `s` and `t` at the top level,
    /// and `x` inside `o`, as the typed reads give them.
    struct Taken: Equatable {
        var a: [String]??
        var n: Int64??
        var s: String??
        var t: Timestamp??
        var b: Bool??
        var o: Bool?
        var x: String??
    }

    static let names = JSONMemberReader.Names(["s", "n", "a", "t", "b", "o"])
    static let inner = JSONMemberReader.Names(["x"])

    /// Reads `text`; nil when the reader gives up.
    static func take(_ text: String) -> Taken? { take(Array(text.utf8)) }

    static func take(_ bytes: [UInt8]) -> Taken? {
        var taken = Taken()
        let read = JSONMemberReader.read(bytes, names: names) { (reader) throws(JSONMemberReader.Unreadable) in
            while let index = try reader.nextMember() {
                switch index {
                case 0: taken.s = try reader.string()
                case 1: taken.n = try reader.integer()
                case 2: taken.a = try reader.strings()
                case 3: taken.t = try reader.timestamp()
                case 4: taken.b = try reader.bool()
                default:
                    taken.o = try reader.object(names: inner) { (inner) throws(JSONMemberReader.Unreadable) in
                        while try inner.nextMember() != nil { taken.x = try inner.string() }
                    }
                }
            }
        }
        return read ? taken : nil
    }

    @Test("Typed members are read, other members and other types skipped")
    func readsTypedMembers() throws {
        let taken = try #require(Self.take(
            #"{"a":["x",1,"y",{"k":[]}],"b":true,"m":{"deep":[1,2,{"z":null}]},"n":42,"o":{"w":0,"x":"in"},"s":"caf\u00e9 \"q\"","t":"2026-11-21T18:44:59.123Z"}"#))
        #expect(taken.a == .some(["x", "y"]))
        #expect(taken.b == .some(true))
        #expect(taken.n == .some(42))
        #expect(taken.o == true && taken.x == .some("in"))
        #expect(taken.s == .some("café \"q\""))
        #expect(taken.t == .some(Timestamp("2026-11-21T18:44:59.123Z")))
    }

    @Test("A member of another type reads as nil, as JSONValue's accessors give it")
    func otherTypesAreNil() throws {
        let taken = try #require(Self.take(#"{"a":"x","b":1,"n":1.5,"o":[1],"s":null,"t":"2026-02-30T00:00:00.000Z"}"#))
        #expect(taken.a == .some(nil) && taken.b == .some(nil) && taken.n == .some(nil) && taken.s == .some(nil) && taken.t == .some(nil))
        #expect(taken.o == false && taken.x == nil)
        #expect(try #require(Self.take(#"{"n":9007199254740991}"#)).n == .some(9_007_199_254_740_991))
        #expect(try #require(Self.take(#"{"n":-0}"#)).n == .some(0))
        #expect(try #require(Self.take(#"{"n":1e2}"#)).n == .some(100))
        #expect(try #require(Self.take(#"{"t":"2026-11-21T18:44:59.123\u005a"}"#)).t == .some(Timestamp("2026-11-21T18:44:59.123Z")))
    }

    @Test("Whitespace around tokens is read as the parser reads it")
    func whitespace() throws {
        let taken = try #require(Self.take(" {\n \"n\" : 7 ,\t\"s\":\"v\" } \n"))
        #expect(taken.n == .some(7) && taken.s == .some("v"))
        #expect(Self.take("{}") == Taken())
    }

    static let refused: [(name: String, text: String)] = [
        ("not an object", #"["s"]"#),
        ("keys out of order", #"{"s":"v","a":[]}"#),
        ("duplicate key", #"{"n":1,"n":2}"#),
        ("duplicate key in a skipped object", #"{"m":{"k":1,"k":2}}"#),
        ("duplicate empty key", #"{"":1,"":2}"#),
        ("keys out of order in a read object", #"{"o":{"x":"1","w":2}}"#),
        ("escaped key", #"{"\u0073":"v"}"#),
        ("non-ASCII key", #"{"é":1}"#),
        ("trailing data", #"{"n":1} x"#),
        ("trailing comma", #"{"n":1,}"#),
        ("missing comma", #"{"a":[] "n":1}"#),
        ("unterminated", #"{"n":1"#),
        ("bad number in a skipped member", #"{"m":01}"#),
        ("unsafe integer in a skipped member", #"{"m":9007199254740992}"#),
        ("number out of range", #"{"n":1e400}"#),
        ("bad literal", #"{"b":tru}"#),
        ("bad escape in a skipped string", #"{"m":"\x"}"#),
        ("lone surrogate in a read string", #"{"s":"\ud800"}"#),
        ("control character", "{\"m\":\"a\nb\"}"),
        ("bad element in a read array", #"{"a":["x",nan]}"#),
    ]

    @Test("Input the parser refuses, or in another key order, is not read", arguments: refused.indices)
    func refusesWhatItCannotRead(index: Int) {
        #expect(Self.take(Self.refused[index].text) == nil, "\(Self.refused[index].name)")
    }

    @Test("Invalid UTF-8 anywhere, and nesting beyond the limit, are not read")
    func invalidBytesAndDepth() {
        let skipped: [UInt8] = Array(#"{"m":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        let read: [UInt8] = Array(#"{"s":""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8)
        #expect(Self.take(skipped) == nil && Self.take(read) == nil)
        let deep = "{\"m\":" + String(repeating: "[", count: 63) + String(repeating: "]", count: 63) + "}"
        #expect((try? JSONParser.parse(deep)) != nil && Self.take(deep) != nil)
        let tooDeep = "{\"m\":" + String(repeating: "[", count: 64) + String(repeating: "]", count: 64) + "}"
        #expect((try? JSONParser.parse(tooDeep)) == nil && Self.take(tooDeep) == nil)
    }

    @Test("Each of the parser's malformed cases, as a member skipped or read, is not read")
    func parserCorpusAsMembers() {
        for testCase in JSONParserTests.malformed where !testCase.bytes.isEmpty {
            for name in ["m", "s", "a", "n", "o"] {
                let bytes = Array("{\"\(name)\":".utf8) + testCase.bytes + [0x7D]
                #expect((try? JSONParser.parse(bytes)) == nil, "\(testCase.name)")
                #expect(Self.take(bytes) == nil, "\(testCase.name) as \(name)")
            }
        }
    }
}
