import LedgerDomain
import Testing

/// `RiskModel.inputProblem`: a request may only give inputs a factor reads, with values the
/// factor maps; anything else would score as "not supplied" without a word.
@Suite("Risk inputs a policy's model reads")
struct RiskInputTests {
    static let model = try! Policy(yaml: """
        version: 1
        name: p
        groups: {sre: [bob]}
        risk:
          factors:
            environment: {weight: 40, values: {prod: 1, dev: 0}}
            blast_radius: {weight: 20, max: 100}
            rollback_available: {weight: 20, values: {"yes": 0, "no": 1}}
            off_hours: {weight: 10, business_hours: "8-18"}
        rules:
          - name: r
            require: {groups: {sre: 1}}
        """).risk

    @Test("Known inputs with mapped values pass", arguments: [
        [:], ["blast_radius": "30"], ["blast_radius": "-1"], ["blast_radius": "2.5e1"], ["blast_radius": "400", "rollback_available": "no"],
    ])
    func accepted(_ inputs: [String: String]) {
        #expect(Self.model.inputProblem(inputs) == nil)
    }

    @Test("Unknown names, inputs fed elsewhere and unmapped values are named with what is accepted", arguments: [
        (["blast_raduis": "10"], "'blast_raduis' is not a risk input"),
        (["environment": "dev"], "it comes from --env"),
        (["off_hours": "0"], "from the time"),
        (["rollback_available": "maybe"], "rollback_available takes one of no, yes"),
        (["rollback_available": "YES"], "rollback_available=YES is not a value"),
        (["blast_radius": "inf"], "blast_radius takes a number"),
        (["blast_radius": "0x1p4"], "blast_radius=0x1p4 is not a value"),
        (["blast_radius": ""], "blast_radius= is not a value"),
    ])
    func refused(_ inputs: [String: String], _ expected: String) {
        let problem = Self.model.inputProblem(inputs)
        #expect(problem?.contains(expected) == true, "\(problem ?? "nil")")
    }

    @Test("The message lists every input and its values, and a model without inputs says to leave --risk out")
    func acceptedInputs() throws {
        #expect(Self.model.acceptedInputs == "known inputs: blast_radius (a number; 100 or more counts fully), rollback_available (one of no, yes)")
        let bare = try Policy(yaml: "version: 1\nname: q\ngroups: {sre: [bob]}\nrules:\n  - name: r\n    require: {groups: {sre: 1}}\n").risk
        #expect(bare.inputProblem(["blast_radius": "1"])?.contains("takes no inputs: leave --risk out") == true)
    }

    @Test("A blank summary or link is refused before the rules")
    func blankText() {
        func open(summary: String = "s", links: [String] = []) -> ApprovalCommand {
            .open(OpenRequest(requestID: "req-1", action: "deploy", resource: "svc", environment: "prod", summary: summary, links: links))
        }
        #expect(TextLimits.violation(open(summary: "")) != nil)
        #expect(TextLimits.violation(open(summary: " \n ")) != nil)
        #expect(TextLimits.violation(open(links: ["https://ci/1", " "]))?.contains("link 2 is empty") == true)
        #expect(TextLimits.violation(open(links: ["https://ci/1"])) == nil)
    }
}
