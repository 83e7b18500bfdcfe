import Foundation
import LedgerCrypto
import TestSupport
import Testing

@Suite("Ed25519 published vectors")
struct Ed25519VectorTests {
    struct RFC8032Case: Sendable, CustomTestStringConvertible {
        let name: String, seed: [UInt8], publicKey: [UInt8], message: [UInt8], signature: [UInt8]
        var testDescription: String { name }
    }

    static func rfc8032Cases() throws -> [RFC8032Case] {
        let cases = try TestPaths.vectorJSON("ed25519/rfc8032.json") as! [[String: String]]
        return cases.map {
            RFC8032Case(
                name: $0["name"]!, seed: Hex.decode($0["secret_key"]!)!, publicKey: Hex.decode($0["public_key"]!)!,
                message: Hex.decode($0["message"]!)!, signature: Hex.decode($0["signature"]!)!)
        }
    }

    @Test("RFC 8032 §7.1: public key, deterministic signature, verification, bit flips", arguments: try rfc8032Cases())
    func rfc8032(_ vector: RFC8032Case) throws {
        let key = try Ed25519PrivateKey(seed: vector.seed)
        #expect(key.publicKey.rawRepresentation == vector.publicKey)
        #expect(try key.signature(for: vector.message) == vector.signature)
        let publicKey = try Ed25519PublicKey(rawRepresentation: vector.publicKey)
        #expect(publicKey.isValidSignature(vector.signature, for: vector.message))
        for bit in [0, 7, 255, 511] {
            var signature = vector.signature
            signature[bit / 8] ^= 1 << (bit % 8)
            #expect(!publicKey.isValidSignature(signature, for: vector.message))
        }
        if !vector.message.isEmpty {
            var message = vector.message
            message[message.count / 2] ^= 0x01
            #expect(!publicKey.isValidSignature(vector.signature, for: message))
        }
    }

    @Test("All 150 Wycheproof ed25519_test.json cases give the expected result")
    func wycheproof() throws {
        let root = try TestPaths.vectorJSON("ed25519/wycheproof_ed25519_test.json") as! [String: Any]
        var checked = 0, valid = 0
        for group in root["testGroups"] as! [[String: Any]] {
            let pk = Hex.decode((group["publicKey"] as! [String: Any])["pk"] as! String)!
            let publicKey = try? Ed25519PublicKey(rawRepresentation: pk)
            for test in group["tests"] as! [[String: Any]] {
                let message = Hex.decode(test["msg"] as! String)!
                let signature = Hex.decode(test["sig"] as! String)!
                let accepted = publicKey?.isValidSignature(signature, for: message) ?? false
                let expected = test["result"] as! String
                #expect(expected != "acceptable")
                #expect(accepted == (expected == "valid"), "tcId \(test["tcId"]!): \(test["comment"]!)")
                checked += 1
                if accepted { valid += 1 }
            }
        }
        #expect(checked == 150)
        #expect(valid == 88)
    }
}
