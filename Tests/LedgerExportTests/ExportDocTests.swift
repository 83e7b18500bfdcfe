import ApprovalLedger
import Foundation
import TestSupport
import Testing

/// The docs list exactly what the code does.
@Suite("Export docs")
struct ExportDocTests {
    static func doc(_ name: String) throws -> String {
        try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("docs/" + name), encoding: .utf8)
    }

    /// The first cell of each table row that starts with a code span, within `section`.
    static func codes(in text: String, section: String) -> [String] {
        let start = text.range(of: section)!.upperBound
        let rest = text[start...]
        let end = rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex
        return rest[..<end].split(separator: "\n").filter { $0.hasPrefix("| `") }.map {
            String($0.split(separator: "|")[0].trimmingCharacters(in: .whitespaces).dropFirst().dropLast())
        }
    }

    @Test("docs/EXPORT.md lists the CSV columns, in order")
    func csvColumns() throws {
        #expect(Self.codes(in: try Self.doc("EXPORT.md"), section: "## CSV columns") == RequestCSV.columns)
    }

    @Test("Every bundle finding code is in FORMAT.md and VERIFY.md")
    func bundleCodes() throws {
        let all = BundleFinding.Code.allCases.map(\.rawValue)
        let format = Self.codes(in: try Self.doc("FORMAT.md"), section: "## Evidence bundles").filter { $0.hasPrefix("bundle-") }
        #expect(format == all)
        let verify = Self.codes(in: try Self.doc("VERIFY.md"), section: "## Evidence bundles").filter { $0.hasPrefix("bundle-") }
        #expect(verify == all)
    }
}
