public import ApprovalLedger

/// `ledger serve`: the ledger over HTTP. (Routes arrive with the server work.)
public enum LedgerServer {}
