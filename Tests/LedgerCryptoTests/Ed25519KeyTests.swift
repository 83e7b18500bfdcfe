import Foundation
import LedgerCrypto
import TestSupport
import Testing

@Suite("Ed25519 keys: generation, PEM, key ids, key files, OpenSSL interop")
struct Ed25519KeyTests {
    @Test func generatedKeysAreDistinctAndSignVerify() throws {
        let a = try Ed25519PrivateKey(), b = try Ed25519PrivateKey()
        #expect(a.publicKey != b.publicKey)
        let message = Array("deploy payments v42".utf8)
        let signature = try a.signature(for: message)
        #expect(a.publicKey.isValidSignature(signature, for: message))
        #expect(!b.publicKey.isValidSignature(signature, for: message))
        #expect(!a.publicKey.isValidSignature(signature.dropLast(), for: message))
    }

    @Test func pemRoundTrips() throws {
        let key = try Ed25519PrivateKey()
        let pem = try key.pemRepresentation()
        #expect(String(decoding: pem, as: UTF8.self).hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let reread = try Ed25519PrivateKey(pemRepresentation: pem)
        #expect(reread.publicKey == key.publicKey)
        let publicPEM = key.publicKey.pemRepresentation
        #expect(publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        #expect(try Ed25519PublicKey(pemRepresentation: publicPEM) == key.publicKey)
    }

    @Test func malformedKeysThrowTypedErrorsWithOpenSSLMessages() throws {
        let garbage = Array("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".utf8)
        let error = try #require(throws: CryptoError.self) { try Ed25519PrivateKey(pemRepresentation: garbage) }
        #expect(error.code == .invalidPEM)
        #expect(error.openSSLMessage?.isEmpty == false)
        #expect(throws: CryptoError.self) { try Ed25519PublicKey(rawRepresentation: [1, 2, 3]) }
        #expect(throws: CryptoError.self) { try Ed25519PrivateKey(seed: [UInt8](repeating: 0, count: 31)) }
    }

    @Test func nonEd25519PEMIsRefused() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("ec.pem")
        _ = try ProcessRunner.run("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path])
        let error = try #require(throws: CryptoError.self) {
            try Ed25519PrivateKey(pemRepresentation: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        }
        #expect(error.code == .invalidKey)
    }

    @Test("Key id is ed25519: + first 16 bytes of SHA-256(raw public key), as specified")
    func keyIDDerivation() throws {
        // RFC 8032 TEST 1 public key.
        let raw = Hex.decode("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")!
        let id = KeyID(publicKey: raw)
        #expect(id.rawValue == "ed25519:" + String(SHA256.hash(raw).hex.prefix(32)))
        #expect(KeyID(id.rawValue) == id)
        #expect(KeyID("ed25519:" + String(repeating: "A", count: 32)) == nil)
        #expect(KeyID("rsa:" + String(repeating: "a", count: 32)) == nil)
    }

    @Test func privateKeyFileReadableByOthersIsRefusedWithTheFix() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("root.pem")
        try KeyFile.writePrivateKey(try Ed25519PrivateKey(), toPath: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! Int
        #expect(mode == 0o600)
        _ = try KeyFile.readPrivateKey(atPath: path)
        for insecure in [0o644, 0o640, 0o604, 0o660] {
            try FileManager.default.setAttributes([.posixPermissions: insecure], ofItemAtPath: path)
            let error = try #require(throws: CryptoError.self) { try KeyFile.readPrivateKey(atPath: path) }
            #expect(error.code == .insecureKeyFile)
            #expect(error.message.contains("chmod 600"))
        }
    }

    @Test func keyFilesAreNeverOverwritten() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("k.pem")
        try KeyFile.writePrivateKey(try Ed25519PrivateKey(), toPath: path)
        let error = try #require(throws: CryptoError.self) { try KeyFile.writePrivateKey(try Ed25519PrivateKey(), toPath: path) }
        #expect(error.code == .keyFileIO)
        #expect(throws: CryptoError.self) { try KeyFile.readPrivateKey(atPath: dir.file("missing.pem")) }
    }

    @Test("A key from `openssl genpkey` signs here and verifies with `openssl pkeyutl -verify -rawin`")
    func opensslKeySignsAndOpenSSLVerifies() throws {
        let dir = try TemporaryDirectory()
        let keyPath = dir.file("k.pem"), pubPath = dir.file("k.pub"), msgPath = dir.file("msg"), sigPath = dir.file("sig")
        #expect(try ProcessRunner.run("openssl", ["genpkey", "-algorithm", "ed25519", "-out", keyPath]).status == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyPath)
        #expect(try ProcessRunner.run("openssl", ["pkey", "-in", keyPath, "-pubout", "-out", pubPath]).status == 0)
        let key = try KeyFile.readPrivateKey(atPath: keyPath)
        #expect(try KeyFile.readPublicKey(atPath: pubPath) == key.publicKey)
        let message = Array("approve request 7 for prod".utf8)
        try Data(message).write(to: URL(fileURLWithPath: msgPath))
        try Data(try key.signature(for: message)).write(to: URL(fileURLWithPath: sigPath))
        let verify = try ProcessRunner.run(
            "openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", pubPath, "-rawin", "-in", msgPath, "-sigfile", sigPath])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        // And the other way: OpenSSL signs, we verify.
        let opensslSig = dir.file("sig2")
        #expect(try ProcessRunner.run("openssl", ["pkeyutl", "-sign", "-inkey", keyPath, "-rawin", "-in", msgPath, "-out", opensslSig]).status == 0)
        #expect(key.publicKey.isValidSignature(Array(try Data(contentsOf: URL(fileURLWithPath: opensslSig))), for: message))
    }

    @Test("Keys written by KeyFile are read by `openssl pkey`")
    func writtenKeysReadByOpenSSL() throws {
        let dir = try TemporaryDirectory()
        let key = try Ed25519PrivateKey()
        try KeyFile.writePrivateKey(key, toPath: dir.file("k.pem"))
        try KeyFile.writePublicKey(key.publicKey, toPath: dir.file("k.pub"))
        let fromPrivate = try ProcessRunner.run("openssl", ["pkey", "-in", dir.file("k.pem"), "-pubout"])
        #expect(fromPrivate.status == 0)
        #expect(fromPrivate.stdout == key.publicKey.pemRepresentation)
        #expect(try ProcessRunner.run("openssl", ["pkey", "-pubin", "-in", dir.file("k.pub"), "-noout"]).status == 0)
    }
}
