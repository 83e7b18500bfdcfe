import ApprovalLedger
import ArgumentParser

extension LedgerTool {
    struct IdentityCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "identity",
            abstract: "Link chat accounts to ledger identities (admin), and list the links.",
            discussion: """
                A Slack user's button press counts as a vote only when an admin has linked \
                the user's account, slack:<team id>/<user id>, to a ledger identity. Each link \
                is a signed identity.linked event in $identities; `ledger verify` holds every \
                vote relayed through an account to the link in force at its seq \
                (relay-unlinked). See docs/CHAT.md §Linking identities.
                """,
            subcommands: [Link.self, Unlink.self, List.self])
    }
}

extension LedgerTool.IdentityCommand {
    struct Link: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Link a chat account to an identity (an admin key signs it).",
            discussion: """
                Example:
                  ledger --key admin.pem identity link slack:T0123ABCD/U0456EFGH alice
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The account: slack:<team id>/<user id>.", valueName: "account")) var account: String
        @Argument(help: "The ledger identity whose account it is.") var identity: String
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                let ledger = try await global.openLedger()
                let event = try await ledger.link(account: account, identity: identity, signer: try await global.signer(for: ledger))
                printEvent(event, format: format, summary: "linked \(account) to \(identity)")
            }
        }
    }

    struct Unlink: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "End a link: the account's votes are refused from then on.",
            discussion: """
                Example:
                  ledger --key admin.pem identity unlink slack:T0123ABCD/U0456EFGH \\
                      --reason "alice left the team"
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The account: slack:<team id>/<user id>.", valueName: "account")) var account: String
        @Option(help: "Why the link ends (recorded in the ledger).") var reason: String
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                let ledger = try await global.openLedger()
                let event = try await ledger.unlink(account: account, reason: reason, signer: try await global.signer(for: ledger))
                printEvent(event, format: format, summary: "unlinked \(account)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the links in force.",
            discussion: """
                Examples:
                  ledger identity list --ledger ops.ledger
                  ledger identity list --format json
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                let links = try await global.openLedger().identityLinks().links.sorted { $0.key < $1.key }
                switch format {
                case .text:
                    if links.isEmpty { Output.line("no accounts are linked (`ledger identity link ACCOUNT IDENTITY`)") }
                    for (account, identity) in links { Output.line("\(account)  \(identity)") }
                case .json:
                    Output.json(["links": .array(links.map { ["account": .string($0.key), "identity": .string($0.value)] })])
                }
            }
        }
    }
}
