import LedgerFormat
import Testing

/// A writer stores only what readers accept: `readabilityProblem` says when a value's canonical
/// bytes would be refused. The first case was found by the JSON fuzz target (Tools/fuzz): `1e20`
/// parses, but RFC 8785 writes it as the integer token `100000000000000000000`, beyond ±(2^53 − 1).
@Suite("Readable canonical JSON")
struct JSONReadabilityTests {
    static let unreadable: [(name: String, value: JSONValue)] = [
        ("1e20 from the fuzzer", ["x": .number(1e20)]),
        ("2^53 exactly", .number(9_007_199_254_740_992)),
        ("negative 1.5e16", .array([.number(-1.5e16)])),
        ("just below 1e21", .number(999_999_999_999_999_868_928)),
        ("NaN", .number(.nan)),
        ("infinity", ["deep": [.number(.infinity)]]),
    ]

    @Test("Values whose canonical form readers refuse are reported", arguments: unreadable.indices)
    func unreadableValues(index: Int) {
        let testCase = Self.unreadable[index]
        #expect(testCase.value.readabilityProblem(maxDepth: 64) != nil, "\(testCase.name)")
        if testCase.value.readabilityProblem(maxDepth: 64)?.contains("integer") == true {
            // Proof that the report is right: the canonical bytes really are refused.
            #expect(throws: JSONParseError.self) { try JSONParser.parse(CanonicalJSON.encode(testCase.value)) }
        }
    }

    @Test("Values at the edges of the rules are readable and round-trip")
    func readableEdges() throws {
        let values: [JSONValue] = [
            .number(9_007_199_254_740_991), .number(-9_007_199_254_740_991), .number(1e21), .number(1.5), .number(-0.0),
            .number(1e300), .number(5e-324), ["a": ["b": [1, "x", true, .null]]],
        ]
        for value in values {
            #expect(value.readabilityProblem(maxDepth: 64) == nil, "\(value)")
            let bytes = CanonicalJSON.encode(value)
            #expect(CanonicalJSON.encode(try JSONParser.parse(bytes)) == bytes)
        }
    }

    @Test("Nesting is counted as the parser counts it: the outermost container is depth 1")
    func depth() throws {
        func nested(_ depth: Int) -> JSONValue { (1..<depth).reduce(JSONValue.array([])) { inner, _ in .array([inner]) } }
        #expect(nested(64).readabilityProblem(maxDepth: 64) == nil)
        #expect(try JSONParser.parse(CanonicalJSON.encode(nested(64))) == nested(64))
        #expect(nested(65).readabilityProblem(maxDepth: 64) != nil)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(CanonicalJSON.encode(nested(65))) }
    }
}
