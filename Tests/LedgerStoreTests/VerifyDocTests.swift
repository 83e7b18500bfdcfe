import Foundation
import LedgerVerify
import TestSupport
import Testing

@Suite("docs/VERIFY.md")
struct VerifyDocTests {
    @Test("Every finding code is documented with its severity, and nothing else is")
    func everyCodeDocumented() throws {
        let doc = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("docs/VERIFY.md"), encoding: .utf8)
        let rows = doc.split(separator: "\n").filter { $0.hasPrefix("| `") }
        var documented: [String: String] = [:]
        for row in rows {
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.count >= 2, ["error", "warning", "info"].contains(cells[1]) {
                documented[cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] = cells[1]
            }
        }
        for code in FindingCode.allCases {
            #expect(documented[code.rawValue] == code.severity.rawValue, "\(code.rawValue)")
        }
        #expect(Set(documented.keys) == Set(FindingCode.allCases.map(\.rawValue)))
    }
}
