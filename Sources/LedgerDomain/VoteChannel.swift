public import LedgerFormat

/// Through what a vote reached the ledger, from its event's `origin`: the voter's own key
/// (appended directly, or a signed command the server carried) or a relay channel (a token,
/// a chat gateway), which the server's key vouches for. The channel is the part of `via`
/// before its first `:` (`token:ci` → `token`, `slack:T1/U2` → `slack`), so the set of
/// values stays small whatever the names.
public enum VoteChannel {
    /// Appended with the voter's own key.
    public static let ownKey = "own-key"
    /// The voter's own signature over the command, carried by the server.
    public static let signedCommand = "signed-command"

    /// The channel of an event with `origin`.
    public static func of(_ origin: EventOrigin?) -> String {
        switch origin {
        case nil: ownKey
        case .signed: signedCommand
        case .relayed(let via, _):
            via.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init).flatMap { $0.isEmpty ? nil : $0 } ?? "relay"
        }
    }

    /// True for a channel in which the vote carries the voter's own signature.
    public static func isOwnKey(_ channel: String) -> Bool { channel == ownKey || channel == signedCommand }
}
