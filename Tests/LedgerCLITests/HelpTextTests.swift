import Foundation
import TestSupport
import Testing

/// Every subcommand's `--help`, as an 80-column terminal shows it: swift-argument-parser
/// re-wraps discussion text to the width, so an example line longer than that would be cut
/// where a reader copying it cannot tell, and a `\` continuation would no longer continue.
@Suite("--help at 80 columns")
struct HelpTextTests {
    static let columns = 80

    /// `ledger [path…] --help` with COLUMNS=80.
    static func help(_ path: [String]) throws -> String {
        let result = try LedgerCLI().run(path + ["--help"], environment: ["COLUMNS": String(columns)])
        guard result.status == 0 else { throw LedgerCLI.CLIFailure(message: "\(path) --help: exit \(result.status) \(result.stderr)") }
        return result.stdout
    }

    /// The names listed under SUBCOMMANDS:, without `help`.
    static func subcommands(_ help: String) -> [String] {
        var names: [String] = []
        var inside = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("SUBCOMMANDS:") { inside = true; continue }
            guard inside else { continue }
            if line.isEmpty { if names.isEmpty { continue } else { break } }
            // "  name   abstract" (or "  name (default)"); wrapped abstracts are indented further.
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { continue }
            if let name = line.dropFirst(2).split(separator: " ").first, name != "help" { names.append(String(name)) }
        }
        return names
    }

    /// Every command path: [], [demo], [key], [key, generate], …
    static func allCommands() throws -> [[String]] {
        var found: [[String]] = []
        var queue: [[String]] = [[]]
        while !queue.isEmpty {
            let path = queue.removeFirst()
            found.append(path)
            queue += subcommands(try help(path)).map { path + [$0] }
        }
        return found
    }

    /// What is wrong with the example blocks of one help text: the lines after `Example:`,
    /// `Examples:` or `Example (…):` up to the next blank line must each be indented (a wrapped
    /// fragment starts at column 0) and fit the width, and a line ending in `\` must be
    /// followed by an indented line of the same block.
    static func problems(_ help: String) -> [String] {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var problems: [String] = []
        var inExample = false
        for (index, line) in lines.enumerated() {
            if line.hasPrefix("Example"), line.hasSuffix(":") { inExample = true; continue }
            if line.isEmpty { inExample = false; continue }
            if inExample {
                if !line.hasPrefix("  ") { problems.append("wrapped example fragment: '\(line)'") }
                if line.count > columns { problems.append("example line of \(line.count) columns: '\(line)'") }
            }
            if line.hasSuffix("\\") {
                let next = index + 1 < lines.count ? lines[index + 1] : ""
                if !next.hasPrefix("  ") { problems.append("continuation broken after: '\(line)'") }
            }
        }
        return problems
    }

    @Test("No example line of any subcommand's --help is wrapped, and every \\ continues onto an indented line")
    func examplesSurviveEightyColumns() throws {
        let commands = try Self.allCommands()
        // The tree is all there: a parse that found nothing would pass vacuously.
        #expect(commands.count >= 30, "\(commands)")
        for path in commands {
            let text = try Self.help(path)
            let leaf = Self.subcommands(text).isEmpty
            if leaf { #expect(text.contains("Example"), "ledger \(path.joined(separator: " ")) --help has no example") }
            #expect(Self.problems(text).isEmpty, "ledger \(path.joined(separator: " ")) --help: \(Self.problems(text))")
        }
    }

    @Test("The checker finds a wrapped example and a broken continuation")
    func checkerCatchesBreakage() {
        let wrapped = "Examples:\n  ledger request open --action db.migrate \\\n--link https://git.example/pr/42\n"
        #expect(Self.problems(wrapped).count == 2)
        let intact = "Examples:\n  ledger request open --action db.migrate \\\n      --env prod\n\nUSAGE: ledger\n"
        #expect(Self.problems(intact).isEmpty)
    }
}
