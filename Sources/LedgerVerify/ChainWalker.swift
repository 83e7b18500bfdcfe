public import LedgerCrypto
public import LedgerDomain
public import LedgerFormat
public import LedgerStore

/// The sequential half of verification: walks stored rows in seq order and checks everything
/// that depends on order (seq, hash links, the key timeline, anchors, every request's replay
/// under its policy) and everything about a row on its own except the signature, which it
/// hands back as a `SignatureJob` so signatures can be checked in parallel. No I/O of its own:
/// what it has forgotten about a stream it asks `EarlierEvents` for.
public struct ChainWalker: Sendable {
    /// A signature to check: `publicKey` must have signed `message` (the recomputed event hash).
    public struct SignatureJob: Sendable {
        /// What was signed: the event hash by its key, or a relayed command by its caller.
        public enum Kind: Sendable { case event, command }
        public let seq: Int64
        public let publicKey: Ed25519PublicKey
        public let signature: [UInt8]
        public let message: [UInt8]
        public var kind: Kind = .event
    }

    public private(set) var findings: [Finding] = []
    public private(set) var timeline = KeyTimeline()
    /// The chat accounts linked to identities, as the `$identities` events walked so far say.
    var identityLinks = IdentityLinkTable()
    public private(set) var ledgerID: String?
    public private(set) var count: Int64 = 0
    public private(set) var lastSeq: Int64 = 0
    public private(set) var headHash: SHA256Digest?
    public private(set) var firstTime: Timestamp?
    public private(set) var lastTime: Timestamp?
    /// The walk is over selected events of a ledger, not all of them (a request's evidence
    /// bundle): gaps in seq are expected, and each event's place in the log is proven by an
    /// inclusion proof instead of by the chain (checked by the caller).
    public var isSelection = false {
        didSet { if isSelection { tree = nil } }
    }
    /// The Merkle tree of the events walked, from their recomputed hashes; nil when the walk
    /// resumed after a checkpoint that does not give the tree's edge at its size.
    public private(set) var tree: MerkleFrontier? = MerkleFrontier()
    /// Interior nodes the walk completed since `takeTreeNodes()`, for comparison with the
    /// stored tree.
    private var treeNodes: [(level: Int, index: UInt64, hash: SHA256Digest)] = []
    private var streamVersions: BoundedCache<String, Int64>
    private var anchors: [Int64: [Checkpoint]]
    /// Checkpoints of the Merkle tree (C2SP notes), held to the root the walk computes.
    private var treeAnchors: [Int64: [TreeCheckpoint]] = [:]
    private var conformance: ConformanceChecker
    /// An evidence bundle may withhold payloads a ledger must keep (see `RequiredPayloads`).
    private let allowsWithheldPayloads: Bool
    /// Events dated after this are in the future: the verifier's clock plus the allowed skew.
    private let latestTime: Timestamp?
    /// True when the walk starts after a trusted checkpoint, so no event may follow it.
    private var resumed = false
    /// Reused for each event's time text, which the walk compares with the time column.
    private var timeText: [UInt8] = []
    /// Events walked whose payload is absent and may be erased (not `RequiredPayloads`), and
    /// for which no redaction has been walked yet: each is `payload-missing` at the end unless
    /// a later `payload.redacted` event answers for it.
    var absentPayloads: Set<Int64> = []
    /// Events a walked redaction erased, so that a second record of the same erasure is seen.
    var redactedSeqs: Set<Int64> = []

    public var requests: Int64 { conformance.requests }
    public var policyVersions: Int { conformance.policies.count }
    public var eventsReplayed: Int64 { conformance.replayed }
    public var requestsWithheld: Int64 { conformance.withheld }

    /// `streamsInMemory` bounds the per-stream state kept (stream versions, request replays);
    /// streams beyond it are re-read from `EarlierEvents` when they come back.
    /// `latestTime`: events dated after it are reported as `time-future` (nil: not checked).
    /// `allowsWithheldPayloads`: for bundles, whose exporter may withhold the payloads a ledger
    /// must keep; a request is then replayed up to its first withheld payload.
    /// `projects`: each request is also projected as it is replayed, for the caller to hold
    /// the projection tables to (`takeReleasedProjections`).
    public init(
        anchors: [Checkpoint] = [], treeAnchors: [TreeCheckpoint] = [], streamsInMemory: Int = 10_000, latestTime: Timestamp? = nil,
        allowsWithheldPayloads: Bool = false, projects: Bool = false
    ) {
        self.anchors = Dictionary(grouping: anchors, by: \.size)
        self.treeAnchors = Dictionary(grouping: treeAnchors, by: \.size)
        streamVersions = BoundedCache(capacity: streamsInMemory)
        conformance = ConformanceChecker(
            streamsInMemory: streamsInMemory, allowsWithheldPayloads: allowsWithheldPayloads, projects: projects)
        self.latestTime = latestTime
        self.allowsWithheldPayloads = allowsWithheldPayloads
    }

    /// A walk that starts after `checkpoint`, trusted: `prefix` holds the system events up to
    /// it (genesis, keys, policies, redactions), from which the key timeline and policies are
    /// rebuilt. The prefix must be proven first (`PrefixProof`): its rows are applied
    /// unchecked. `absentPayloads`: the prefix's events whose erasable payload is absent (with
    /// their recomputed hashes), which its redactions, or later ones, must answer for.
    public init(
        resumingAfter checkpoint: AnyCheckpoint, prefix: [StoredEvent], absentPayloads: [Int64: SHA256Digest] = [:], anchors: [Checkpoint] = [],
        treeAnchors: [TreeCheckpoint] = [],
        streamsInMemory: Int = 10_000, headHash: SHA256Digest?, headTime: Timestamp? = nil, tree: MerkleFrontier?, latestTime: Timestamp? = nil
    ) {
        self.init(
            anchors: anchors.filter { $0.size > checkpoint.size }, treeAnchors: treeAnchors.filter { $0.size > checkpoint.size },
            streamsInMemory: streamsInMemory, latestTime: latestTime)
        resumed = true
        // The tree at the checkpoint, when the prefix proof rebuilt it, goes on from there.
        self.tree = tree
        // Times follow seq order across the checkpoint too.
        lastTime = headTime
        lastSeq = checkpoint.size
        self.headHash = headHash
        ledgerID = checkpoint.ledgerID
        for row in prefix {
            guard let envelope = try? EventEnvelope(canonicalBytes: row.envelopeBytes) else { continue }
            let payload = row.payloadBytes.flatMap { try? JSONParser.parse($0) }
            if envelope.seq == 1, let payload, let genesis = try? Genesis(payload) {
                timeline.applyGenesis(genesis)
                ledgerID = genesis.ledgerID
            } else if envelope.type == KeyEvents.registeredType || envelope.type == KeyEvents.revokedType, let payload {
                try? timeline.apply(type: envelope.type, payload: payload, seq: envelope.seq)
            } else if envelope.type == ApprovalEvents.policyPublished {
                conformance.preload(policyEvent: envelope, payload: payload)
            } else if envelope.stream == IdentityLink.stream, let payload,
                      Self.signsOwnEvent(envelope, timeline.status(of: envelope.keyID, at: envelope.seq)) {
                try? identityLinks.apply(type: envelope.type, payload: payload)
            } else if envelope.type == Redaction.type, let target = Self.prefixErasure(row, envelope, timeline: timeline, absent: absentPayloads),
                      redactedSeqs.insert(target).inserted {
                find(.payloadRedacted, target, "the payload was erased by the redaction at seq \(envelope.seq) by '\(envelope.actor)', before the trusted checkpoint; the envelope and signature still verify")
            }
        }
        self.absentPayloads = Set(absentPayloads.keys).subtracting(redactedSeqs)
    }

    /// The projections of the requests the walk let go of since the last call (settled, or
    /// forgotten to make room), each as of its last event walked. A request whose stream has
    /// later events comes back when they are walked, and is let go of again.
    public mutating func takeReleasedProjections() -> [RequestProjection] {
        conformance.takeReleasedProjections()
    }

    /// Once the walk is over: calls `body` with the projection of every request it still holds.
    public func forEachHeldProjection(_ body: (RequestProjection) throws -> Void) rethrows {
        try conformance.forEachHeldProjection(body)
    }

    /// The interior tree nodes completed since the last call, lowest level first per event.
    public mutating func takeTreeNodes() -> [(level: Int, index: UInt64, hash: SHA256Digest)] {
        defer { treeNodes.removeAll(keepingCapacity: true) }
        return treeNodes
    }

    mutating func find(_ code: FindingCode, _ seq: Int64?, _ message: String) {
        findings.append(Finding(code, seq: seq, message))
    }

    /// Checks one row; appends to `jobs` the signature checks it still needs (the event's, if
    /// its key resolved, and a relayed command's caller signature).
    /// `earlier` answers for streams the walk has forgotten or never saw (nil: none before).
    public mutating func walk(_ row: StoredEvent, earlier: (any EarlierEvents)? = nil, into jobs: inout [SignatureJob]) throws {
        if let job = try walk(row, earlier: earlier, commandJob: { jobs.append($0) }) { jobs.append(job) }
    }

    private mutating func walk(_ row: StoredEvent, earlier: (any EarlierEvents)?, commandJob: (SignatureJob) -> Void) throws -> SignatureJob? {
        let seq = row.seq
        let expected = lastSeq + 1
        let contiguous = seq == expected
        // A bundle of selected events, each proven by inclusion in a signed tree, skips
        // forward by design: only going back is a fault there.
        if !contiguous, !(isSelection && seq > expected) {
            find(.seqGap, seq, seq > expected
                ? "events \(expected)…\(seq - 1) are missing: the sequence jumps from \(lastSeq) to \(seq)"
                : "seq \(seq) follows \(lastSeq): the sequence is out of order")
        }
        count += 1
        lastSeq = seq

        // The event's true hash is always recomputed from the stored bytes.
        let hash = DomainSeparation.eventHash(envelopeBytes: row.envelopeBytes)
        if hash.bytes != row.hash {
            find(.hashMismatch, seq, "the stored hash column does not match the hash of the stored envelope bytes: the event was altered")
        }
        let previousHash = headHash
        headHash = hash
        if tree != nil { treeNodes += tree!.append(MerkleTree.leafHash(hash.bytes)) }
        defer { checkAnchors(seq: seq, hash: hash) }

        let envelope: EventEnvelope
        do { envelope = try EventEnvelope(canonicalBytes: row.envelopeBytes) } catch {
            find(error.code == .unsupportedVersion ? .unsupportedVersion : .envelopeInvalid, seq, "the stored envelope is not a valid canonical envelope: \(error.message)")
            return nil
        }
        checkColumns(row, envelope)
        if contiguous {
            let expectedPrevious = seq == 1 ? SHA256Digest.zero : previousHash
            if let expectedPrevious, envelope.previousHash != expectedPrevious {
                find(.chainBroken, seq, "prevHash \(envelope.previousHash.hex.prefix(16))… does not link to the hash of event \(seq - 1) (\(expectedPrevious.hex.prefix(16))…): an event before it was changed, removed or reordered")
            }
        }
        checkTime(envelope.time, seq: seq)
        try checkStreamVersion(envelope, earlier: earlier)
        if let violation = SystemStreams.violation(type: envelope.type, stream: envelope.stream) {
            find(.streamInvalid, seq, violation)
        }

        var payload: JSONValue?
        // The payload the replay reads: only the one the envelope commits to. A replaced one is
        // read as absent, as the commands read it (`StoredEvent.recordedEvent`).
        var provenBytes: [UInt8]?
        if let bytes = row.payloadBytes {
            if SHA256.hash(bytes) != envelope.payloadHash {
                find(.payloadMismatch, seq, "the stored payload does not match the payloadHash the envelope commits to: the payload was altered")
            } else {
                provenBytes = bytes
                if seq == 1 || envelope.type == KeyEvents.registeredType || envelope.type == KeyEvents.revokedType || envelope.stream == IdentityLink.stream {
                    // Only payloads a check reads are parsed: the others are proven by their
                    // hash, and parsing every one would cost a tenth of the walk.
                    payload = try? JSONParser.parse(bytes)
                    if payload == nil { find(.payloadMismatch, seq, "the stored payload matches its hash but is not valid JSON") }
                }
            }
        } else if !RequiredPayloads.isRequired(eventType: envelope.type) {
            // Erased by a redaction, which comes later in the log, or deleted: `finish` says.
            absentPayloads.insert(seq)
        } else if allowsWithheldPayloads, !envelope.stream.hasPrefix("$") {
            find(.payloadWithheld, seq, "the bundle withholds this payload; the envelope and signature still verify")
        } else {
            find(.payloadMissing, seq, "the payload of this \(envelope.type) event is absent, but the rules are re-derived from it, so it may not be redacted: it was deleted; the event is replayed as the commands read it, with an empty payload")
        }

        if seq == 1 {
            return walkGenesis(row, envelope, payload: payload, hash: hash)
        }
        if envelope.type == KeyEvents.genesisType {
            find(.genesisInvalid, seq, "a second genesis event appears at seq \(seq)")
        }
        // A key event changes the timeline from the next seq on, so this status still holds
        // after it is applied.
        let status = timeline.status(of: envelope.keyID, at: seq)
        let job = resolveKey(envelope, status: status, row: row, hash: hash)
        var speaker = if case .valid(let entry) = status { entry.registration } else { KeyRegistration?.none }
        if let origin = envelope.origin {
            speaker = checkOrigin(origin, envelope, relay: speaker, commandJob: commandJob)
        }
        if envelope.type == KeyEvents.registeredType || envelope.type == KeyEvents.revokedType {
            applyKeyEvent(envelope, payload: payload, seq: seq)
        }
        findings += try conformance.check(
            envelope, payloadBytes: provenBytes, capabilities: speaker?.capabilities ?? [], relayIdentity: relayIdentity(envelope, status),
            ledgerID: ledgerID ?? "", earlier: earlier)
        if envelope.stream == IdentityLink.stream {
            applyIdentityLink(envelope, payload: payload, answerable: Self.signsOwnEvent(envelope, status))
        }
        if envelope.type == Redaction.type {
            try checkRedaction(envelope, payloadBytes: provenBytes, answerable: Self.signsOwnEvent(envelope, status), earlier: earlier)
        }
        return job
    }

    private mutating func walkGenesis(_ row: StoredEvent, _ envelope: EventEnvelope, payload: JSONValue?, hash: SHA256Digest) -> SignatureJob? {
        guard envelope.type == KeyEvents.genesisType else {
            find(.genesisInvalid, 1, "the first event is \(envelope.type), not \(KeyEvents.genesisType)")
            return nil
        }
        guard let payload else {
            find(.genesisInvalid, 1, "the genesis payload is missing or altered, so the root key cannot be established")
            return nil
        }
        let genesis: Genesis
        do { genesis = try Genesis(payload) } catch {
            find(error.code == .unsupportedVersion ? .unsupportedVersion : .genesisInvalid, 1, "the genesis payload is invalid: \(error.message)")
            return nil
        }
        ledgerID = genesis.ledgerID
        timeline.applyGenesis(genesis)
        guard envelope.keyID == genesis.rootKey.keyID, envelope.actor == genesis.rootKey.identity else {
            find(.genesisInvalid, 1, "the genesis event is not signed by the root key it names")
            return nil
        }
        return SignatureJob(seq: 1, publicKey: genesis.rootKey.publicKey, signature: row.signature, message: hash.bytes)
    }

    private mutating func resolveKey(_ envelope: EventEnvelope, status: KeyTimeline.Status, row: StoredEvent, hash: SHA256Digest) -> SignatureJob? {
        let seq = envelope.seq
        switch status {
        case .unknown:
            find(.keyUnknown, seq, "signed by key \(envelope.keyID), which was not registered before this event")
            return nil
        case .revoked(let at, _):
            find(.keyRevoked, seq, "signed by key \(envelope.keyID) after its revocation at seq \(at)")
            return nil
        case .valid(let entry):
            if envelope.origin != nil {
                // A relay speaks for another identity; `checkOrigin` judges it.
            } else if entry.registration.identity != envelope.actor {
                find(.keyIdentityMismatch, seq, "actor '\(envelope.actor)' signed with key \(envelope.keyID), which is registered to '\(entry.registration.identity)'")
            } else if !entry.registration.allows(eventType: envelope.type) {
                find(.keyNotAuthorized, seq, "key \(envelope.keyID) of '\(envelope.actor)' lacks the '\(Capability.required(forEventType: envelope.type)?.rawValue ?? "-")' capability for \(envelope.type)")
            }
            return SignatureJob(seq: seq, publicKey: entry.registration.publicKey, signature: row.signature, message: hash.bytes)
        }
    }

    /// The relay key's identity, for an event a relay appended on someone's behalf.
    private func relayIdentity(_ envelope: EventEnvelope, _ status: KeyTimeline.Status) -> String? {
        guard envelope.origin != nil, case .valid(let entry) = status else { return nil }
        return entry.registration.identity
    }

    /// The origin rules (docs/FORMAT.md §Origin): the envelope's key must hold `relay`; a
    /// relayed event needs the relay's capability for its type, a signed one the caller's key,
    /// valid at this seq and registered to the actor, over a statement dated near the event
    /// and bound to it by its idempotency key. Returns the registration whose capabilities
    /// speak for the actor (nil when none does).
    private mutating func checkOrigin(
        _ origin: EventOrigin, _ envelope: EventEnvelope, relay: KeyRegistration?, commandJob: (SignatureJob) -> Void
    ) -> KeyRegistration? {
        let seq = envelope.seq
        guard let relay else { return nil }
        if !Capability.mayRelay(relay.capabilities) {
            find(.relayNotAuthorized, seq, "key \(envelope.keyID) of '\(relay.identity)' appended for '\(envelope.actor)' without the relay capability: only a registered relay may speak for others")
        }
        if envelope.stream.hasPrefix("$") {
            find(.commandInvalid, seq, "a system event (\(envelope.type)) carries an origin: a relay may not append the ledger's own history for others")
        }
        switch origin {
        case .relayed(let via, _):
            if !relay.allows(eventType: envelope.type) {
                find(.keyNotAuthorized, seq, "relay key \(envelope.keyID) lacks the '\(Capability.required(forEventType: envelope.type)?.rawValue ?? "-")' capability for the \(envelope.type) it relayed")
            }
            checkLinkedAccount(via: via, envelope, relay: relay)
            return relay
        case .signed(let command):
            guard let hash = command.hash else { return nil }
            if envelope.idempotencyKey != command.idempotencyKey {
                find(.commandInvalid, seq, "the event does not carry its signed command's idempotency key (command:<hash>), so nothing keeps the same signed command from being recorded twice")
            }
            let skew = Verifier.clockSkew.components.seconds * 1000
            if abs(command.time.millisecondsSinceEpoch - envelope.time.millisecondsSinceEpoch) > skew {
                find(.commandStale, seq, "the command was signed at \(command.time), more than \(skew / 1000) s from the event's time \(envelope.time): a command is recorded when it is sent, not replayed later")
            }
            if !ApprovalEvents.all.contains(envelope.type) {
                // A service's own event: the format defines its statement (the domain replay
                // checks the approval commands').
                let expected = CommandStatement.hash(
                    of: command, ledgerID: ledgerID ?? "", stream: envelope.stream, command: CommandStatement.appendCommand,
                    arguments: CommandStatement.appendArguments(type: envelope.type, payloadHash: envelope.payloadHash))
                if expected != hash {
                    find(.commandMismatch, seq, "the event is not the command its caller signed: the statement for this append hashes to \(expected.hex.prefix(16))…, not \(hash.hex.prefix(16))…")
                }
            }
            switch timeline.status(of: command.keyID, at: seq) {
            case .unknown:
                find(.commandSignatureInvalid, seq, "the command is signed by key \(command.keyID), which was not registered before this event")
                return nil
            case .revoked(let at, _):
                find(.commandSignatureInvalid, seq, "the command is signed by key \(command.keyID) after its revocation at seq \(at)")
                return nil
            case .valid(let entry):
                let caller = entry.registration
                if caller.identity != envelope.actor {
                    find(.commandSignatureInvalid, seq, "the command is signed by key \(command.keyID) of '\(caller.identity)', but the event speaks for '\(envelope.actor)'")
                } else if !caller.allows(eventType: envelope.type) {
                    find(.commandSignatureInvalid, seq, "the caller's key \(command.keyID) lacks the '\(Capability.required(forEventType: envelope.type)?.rawValue ?? "-")' capability for \(envelope.type)")
                }
                commandJob(SignatureJob(seq: seq, publicKey: caller.publicKey, signature: command.signature, message: hash.bytes, kind: .command))
                return caller
            }
        }
    }

    private mutating func applyKeyEvent(_ envelope: EventEnvelope, payload: JSONValue?, seq: Int64) {
        guard let payload else {
            find(.keyEventInvalid, seq, "the payload of this \(envelope.type) event is unavailable, so the key timeline after it is unproven")
            return
        }
        do { try timeline.apply(type: envelope.type, payload: payload, seq: seq) } catch {
            find(.keyEventInvalid, seq, error.message)
        }
    }

    private mutating func checkColumns(_ row: StoredEvent, _ envelope: EventEnvelope) {
        let differing = row.differingColumns(from: envelope, timeText: &timeText)
        if !differing.isEmpty { find(.columnMismatch, row.seq, StoredEvent.columnMessage(differing)) }
    }

    private mutating func checkTime(_ time: Timestamp, seq: Int64) {
        if firstTime == nil { firstTime = time }
        if let lastTime, time < lastTime {
            find(.timeRegression, seq, "event time \(time) is earlier than the previous event's \(lastTime): times follow seq order, so this event was backdated")
        }
        if let latestTime, time > latestTime {
            find(.timeFuture, seq, "event time \(time) is later than this verifier's clock allows (\(latestTime), its time plus the allowed skew): someone moved time forward, and later events inherit it")
        }
        lastTime = max(lastTime ?? time, time)
    }

    private mutating func checkStreamVersion(_ envelope: EventEnvelope, earlier: (any EarlierEvents)?) throws {
        var previous: Int64 = 0
        if let known = streamVersions[envelope.stream] {
            previous = known
        } else if envelope.streamVersion != 1, let earlier {
            previous = try earlier.lastStreamVersion(stream: envelope.stream, before: envelope.seq) ?? 0
        }
        if envelope.streamVersion != previous + 1 {
            find(.streamVersionGap, envelope.seq, "stream '\(envelope.stream)' goes from version \(previous) to \(envelope.streamVersion)")
        }
        streamVersions[envelope.stream] = envelope.streamVersion
    }

    private mutating func checkAnchors(seq: Int64, hash: SHA256Digest) {
        if let due = anchors.removeValue(forKey: seq) {
            for anchor in due { checkAnchor(anchor, hashAtSize: hash) }
        }
        if let due = treeAnchors.removeValue(forKey: seq) {
            for anchor in due { checkTreeAnchor(anchor, rootAtSize: tree.map(\.root), reached: true) }
        }
    }

    private mutating func checkTreeAnchor(_ anchor: TreeCheckpoint, rootAtSize root: SHA256Digest?, reached: Bool) {
        if let ledgerID, anchor.ledgerID != ledgerID {
            find(.anchorForeign, nil, "checkpoint of size \(anchor.size) belongs to ledger \(anchor.ledgerID), not \(ledgerID)")
            return
        }
        guard reached else {
            find(.anchorAhead, nil, "the checkpoint covers \(anchor.size) events but the ledger has only \(lastSeq): events were removed from the end")
            return
        }
        if isSelection {
            // The bundle verifier held every event to this root by its proof.
        } else if let root, root != anchor.root {
            find(.anchorMismatch, anchor.size, "the Merkle tree of events 1…\(anchor.size) has root \(root.hex.prefix(16))…, but the checkpoint says \(anchor.root.hex.prefix(16))…: the ledger was rewritten")
        } else if root == nil {
            find(.anchorMismatch, anchor.size, "the tree root at \(anchor.size) cannot be computed in this walk (it resumed after a checkpoint that does not give it), so the checkpoint cannot be matched")
        }
        let valid = timeline.entries.values.filter { entry in
            if case .valid = timeline.status(of: entry.registration.keyID, at: anchor.size + 1) { return true }
            return false
        }
        if anchor.signer(among: valid.map(\.registration.publicKey)) == nil {
            find(.anchorUntrusted, nil, "no key of this ledger valid at seq \(anchor.size) signed the checkpoint of size \(anchor.size) (under \(anchor.origin))")
        }
    }

    private mutating func checkAnchor(_ anchor: Checkpoint, hashAtSize hash: SHA256Digest?) {
        if let ledgerID, anchor.ledgerID != ledgerID {
            find(.anchorForeign, nil, "checkpoint of size \(anchor.size) belongs to ledger \(anchor.ledgerID), not \(ledgerID)")
            return
        }
        guard let hash else {
            find(.anchorAhead, nil, "the checkpoint covers \(anchor.size) events but the ledger has only \(lastSeq): events were removed from the end")
            return
        }
        if hash != anchor.headHash {
            find(.anchorMismatch, anchor.size, "event \(anchor.size) hashes to \(hash.hex.prefix(16))…, but the checkpoint says \(anchor.headHash.hex.prefix(16))…: the ledger was rewritten")
        }
        switch timeline.status(of: anchor.keyID, at: anchor.size + 1) {
        case .valid: break
        case .unknown: find(.anchorUntrusted, nil, "the checkpoint of size \(anchor.size) is signed by key \(anchor.keyID), which this ledger never registered")
        case .revoked(let at, _): find(.anchorUntrusted, nil, "the checkpoint of size \(anchor.size) is signed by key \(anchor.keyID), revoked at seq \(at)")
        }
    }

    /// Finishes the walk: anchors beyond the end mean the tail was truncated; requests still
    /// pending past their deadline at `now` are incomplete; a payload absent with no redaction
    /// recording its erasure was deleted (or, in a bundle, withheld by the exporter).
    public mutating func finish(now: Timestamp) {
        findings += conformance.finish(now: now)
        for seq in absentPayloads.sorted() {
            if allowsWithheldPayloads {
                find(.payloadWithheld, seq, "the bundle withholds this payload and carries no redaction of it; the envelope and signature still verify")
            } else {
                find(.payloadMissing, seq, "the payload is absent and no payload.redacted event records its erasure: it was deleted without a record (`ledger redact` erases a payload and records why)")
            }
        }
        absentPayloads = []
        if count == 0, !resumed { find(.ledgerEmpty, nil, "the ledger holds no events, not even a genesis event") }
        for (_, due) in anchors.sorted(by: { $0.key < $1.key }) {
            for anchor in due { checkAnchor(anchor, hashAtSize: nil) }
        }
        anchors = [:]
        for (_, due) in treeAnchors.sorted(by: { $0.key < $1.key }) {
            for anchor in due { checkTreeAnchor(anchor, rootAtSize: nil, reached: false) }
        }
        treeAnchors = [:]
    }
}
