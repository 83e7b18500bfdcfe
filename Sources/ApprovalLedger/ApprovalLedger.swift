// The public face of the package: one import gives a service everything it needs to open a
// ledger, append signed events, read them back and verify them.
@_exported public import LedgerCrypto
@_exported public import LedgerDomain
@_exported public import LedgerExport
@_exported public import LedgerFormat
@_exported public import LedgerStore
@_exported public import LedgerVerify
@_exported public import LedgerWitness

/// The version of this package and of the `ledger` tool.
public enum ApprovalLedgerVersion {
    public static let string = "0.1.0"
}
