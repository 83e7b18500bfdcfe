import ApprovalLedger
import Foundation

/// A fresh ledger in the scratch directory: created by a root key, which registers the service
/// key that appends the workload, with the `append` capability its service-specific events need.
struct ScratchLedger {
    let ledger: Ledger
    let path: String
    /// The service identity the workload is appended as.
    let signer: Signer

    static func create(in directory: String, name: String, durability: LedgerConfiguration.Durability) async throws -> ScratchLedger {
        let path = "\(directory)/\(name).ledger"
        var configuration = LedgerConfiguration()
        configuration.durability = durability
        let root = Signer(identity: "root", key: try Ed25519PrivateKey())
        let ledger = try await Ledger.create(at: path, root: root, configuration: configuration)
        let signer = Signer(identity: "deploy-bot", key: try Ed25519PrivateKey())
        try await ledger.registerKey(signer.key.publicKey, identity: signer.identity, capabilities: [.append], signer: root)
        return ScratchLedger(ledger: ledger, path: path, signer: signer)
    }

    /// Bytes on disk: the database, its WAL and shared-memory files.
    var fileBytes: Int {
        ["", "-wal", "-shm"].reduce(0) { total, suffix in
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + suffix)
            return total + ((attributes?[.size] as? Int) ?? 0)
        }
    }
}
