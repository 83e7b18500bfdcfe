"""An attacker's toolkit for approval-ledger files, written from docs/FORMAT.md alone.

It does what someone with write access to the SQLite file and one ordinary key can do: read
the rows, build envelopes exactly as FORMAT.md specifies (canonical JSON, the event hash with
its domain prefix, Ed25519 over the 32 raw hash bytes), and write rows straight into the
`events` and `payloads` tables, dropping the immutability triggers where needed. It imports
nothing from the project: plain Python 3, sqlite3, hashlib, json, and `cryptography`.
"""

import datetime
import hashlib
import json
import math
import os
import sqlite3

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

EVENT_PREFIX = b"approval-ledger/event/v1\n"
ZERO_HASH = "0" * 64


# ---------------------------------------------------------------------------------------------
# JCS (RFC 8785), from FORMAT.md's appendix.

def _pairs(pairs):
    obj = {}
    for name, value in pairs:
        if name in obj:
            raise ValueError(f"duplicate name {name!r}")
        obj[name] = value
    return obj


def _integer(text):
    value = int(text)
    if abs(value) > 2**53 - 1:
        raise ValueError("integer beyond 2^53 - 1")
    return value


def _finite(text):
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} does not fit in a double")
    return value


def _refuse(name):
    raise ValueError(f"{name} is not JSON")


def parse(data):
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data).decode("utf-8")
    return json.loads(data, object_pairs_hook=_pairs, parse_int=_integer, parse_float=_finite,
                      parse_constant=_refuse)


def _number(x):
    if isinstance(x, int) and not isinstance(x, bool) and abs(x) < 10**21:
        return str(x)
    x = float(x)
    if not math.isfinite(x):
        raise ValueError("NaN and Infinity are not JSON")
    if x == 0:
        return "0"
    mantissa, _, exponent = repr(abs(x)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    all_digits = whole + fraction
    digits = all_digits.lstrip("0")
    n = len(whole) + int(exponent or 0) - (len(all_digits) - len(digits))
    digits = digits.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        e = n - 1
        text = digits[0] + ("." + digits[1:] if k > 1 else "") + ("e+" if e >= 0 else "e-") + str(abs(e))
    return ("-" if x < 0 else "") + text


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _string(s):
    return '"' + "".join(_ESCAPES.get(c) or (f"\\u{ord(c):04x}" if ord(c) < 0x20 else c) for c in s) + '"'


def _text(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return _number(v)
    if isinstance(v, str):
        return _string(v)
    if isinstance(v, list):
        return "[" + ",".join(_text(e) for e in v) + "]"
    names = sorted(v, key=lambda name: name.encode("utf-16-be"))
    return "{" + ",".join(_string(name) + ":" + _text(v[name]) for name in names) + "}"


def jcs(value):
    return _text(value).encode("utf-8")


def sha256(data):
    return hashlib.sha256(data).digest()


def event_hash(envelope_bytes):
    """SHA-256("approval-ledger/event/v1" LF envelope), 32 raw bytes."""
    return sha256(EVENT_PREFIX + envelope_bytes)


# ---------------------------------------------------------------------------------------------
# Times: YYYY-MM-DDTHH:MM:SS.mmmZ

def parse_time(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)


def format_time(moment):
    moment = moment.astimezone(datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def add_minutes(text, minutes):
    return format_time(parse_time(text) + datetime.timedelta(minutes=minutes))


def is_time(text):
    if not isinstance(text, str) or len(text) != 24 or not text.endswith("Z"):
        return False
    try:
        parse_time(text)
        return True
    except ValueError:
        return False


def shift_times(value, delta):
    """Every timestamp string inside `value` moved by `delta` (a timedelta)."""
    if isinstance(value, dict):
        return {k: shift_times(v, delta) for k, v in value.items()}
    if isinstance(value, list):
        return [shift_times(v, delta) for v in value]
    if is_time(value):
        return format_time(parse_time(value) + delta)
    return value


# ---------------------------------------------------------------------------------------------
# Keys

class Key:
    """An Ed25519 private key and the key id FORMAT.md §Keys derives from its public half."""

    def __init__(self, private):
        self.private = private
        self.public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.key_id = "ed25519:" + sha256(self.public)[:16].hex()

    @classmethod
    def from_pem(cls, path):
        with open(path, "rb") as f:
            return cls(serialization.load_pem_private_key(f.read(), password=None))

    @classmethod
    def generate(cls):
        return cls(Ed25519PrivateKey.generate())

    def sign(self, digest):
        return self.private.sign(digest)

    def write_pem(self, path):
        data = self.private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption())
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)


# ---------------------------------------------------------------------------------------------
# The ledger file

class Ledger:
    def __init__(self, path):
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None, timeout=10)
        self.db.execute("PRAGMA foreign_keys = OFF")

    def close(self):
        self.db.close()

    # -- reading ------------------------------------------------------------------------------

    def head(self):
        """The last event of the ledger (seq >= 1): seq, recomputed hash hex, envelope dict."""
        seq, envelope = self.db.execute(
            "SELECT seq, envelope FROM events WHERE seq >= 1 ORDER BY seq DESC LIMIT 1").fetchone()
        return seq, event_hash(bytes(envelope)).hex(), parse(envelope)

    def event(self, seq):
        """(envelope dict, payload dict or None, raw row dict) of event `seq`."""
        self.db.row_factory = sqlite3.Row
        try:
            row = self.db.execute("SELECT * FROM events WHERE seq = ?", (seq,)).fetchone()
            payload = self.db.execute("SELECT bytes FROM payloads WHERE seq = ?", (seq,)).fetchone()
        finally:
            self.db.row_factory = None
        if row is None:
            raise KeyError(f"no event at seq {seq}")
        return parse(row["envelope"]), (parse(payload[0]) if payload else None), dict(row)

    def events(self, type=None, stream=None):
        """[(seq, envelope, payload)] of events 1…N, optionally of one type or stream."""
        rows = self.db.execute(
            "SELECT e.seq, e.envelope, p.bytes FROM events e LEFT JOIN payloads p ON p.seq = e.seq "
            "WHERE e.seq >= 1 ORDER BY e.seq").fetchall()
        out = []
        for seq, envelope, payload in rows:
            envelope = parse(envelope)
            if type is not None and envelope["type"] != type:
                continue
            if stream is not None and envelope["stream"] != stream:
                continue
            out.append((seq, envelope, parse(payload) if payload is not None else None))
        return out

    def count(self, table="events"):
        return self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def stream_version(self, stream):
        """The last stream version of `stream` among events 1…N (0 for a new stream)."""
        row = self.db.execute("SELECT max(stream_version) FROM events WHERE seq >= 1 AND stream = ?", (stream,)).fetchone()
        return row[0] or 0

    def identity_of(self, key_id):
        """The identity the ledger's own key events register `key_id` to."""
        for seq, envelope, payload in self.events():
            if envelope["type"] == "ledger.genesis" and payload["rootKey"]["keyId"] == key_id:
                return payload["rootKey"]["identity"]
            if envelope["type"] == "key.registered" and payload and payload["keyId"] == key_id:
                return payload["identity"]
        raise KeyError(f"{key_id} is not registered in {self.path}")

    def registration_seq(self, identity):
        """The seq of the first key.registered event of `identity`."""
        for seq, envelope, payload in self.events(type="key.registered"):
            if payload and payload["identity"] == identity:
                return seq
        raise KeyError(identity)

    def requests(self):
        """{request id: opened payload} of the ledger's request streams, in seq order."""
        return {env["stream"]: payload for seq, env, payload in self.events(type="request.opened")}

    # -- writing ------------------------------------------------------------------------------

    def drop_triggers(self):
        names = [r[0] for r in self.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('events', 'payloads')")]
        for name in names:
            self.db.execute(f'DROP TRIGGER "{name}"')
        return names

    def insert_row(self, envelope_bytes, signature, columns=None, hash_bytes=None):
        """INSERT one events row whose indexed columns copy `envelope_bytes` (or `columns`)."""
        envelope = parse(envelope_bytes)
        row = {
            "seq": envelope["seq"],
            "hash": hash_bytes if hash_bytes is not None else event_hash(envelope_bytes),
            "prev_hash": bytes.fromhex(envelope["prevHash"]),
            "stream": envelope["stream"],
            "stream_version": envelope["streamVersion"],
            "type": envelope["type"],
            "actor": envelope["actor"],
            "key_id": envelope["keyId"],
            "time": envelope["time"],
            "idempotency_key": envelope.get("idempotencyKey"),
            "correlation_id": envelope.get("correlationId"),
            "envelope": envelope_bytes,
            "signature": signature,
        }
        row.update(columns or {})
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self.db.execute(f"INSERT INTO events ({names}) VALUES ({marks})", list(row.values()))
        if row["seq"] == envelope["seq"] == self.db.execute("SELECT max(seq) FROM events").fetchone()[0]:
            self.extend_tree(row["seq"], row["hash"])

    def extend_tree(self, seq, hash_bytes):
        """FORMAT.md §Storage, merkle_nodes: the interior nodes that leaf seq-1 completes, as any
        writer adds them (an attacker keeps the derived tree in step, so it does not give them away)."""
        if not self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'merkle_nodes'").fetchone():
            return
        def position(level, index):
            last = ((index + 1) << level) - 1
            return last - bin(last).count("1") + level - 1
        def subtree(level, index):
            if level == 0:
                (stored,) = self.db.execute("SELECT hash FROM events WHERE seq = ?", (index + 1,)).fetchone()
                return sha256(b"\x00" + bytes(stored))
            (stored,) = self.db.execute("SELECT hash FROM merkle_nodes WHERE pos = ?", (position(level, index),)).fetchone()
            return bytes(stored)
        index, level, node = seq - 1, 0, sha256(b"\x00" + bytes(hash_bytes))
        while index & 1:
            node = sha256(b"\x01" + subtree(level, index - 1) + node)
            level += 1
            index >>= 1
            self.db.execute("INSERT OR REPLACE INTO merkle_nodes (pos, hash) VALUES (?, ?)", (position(level, index), node))

    def insert_payload(self, seq, payload_bytes):
        self.db.execute("INSERT INTO payloads (seq, bytes) VALUES (?, ?)", (seq, payload_bytes))

    def delete_payload(self, seq):
        # The schema refuses to delete a payload no redaction names; whoever can write the file
        # can drop that trigger first.
        self.db.execute("DROP TRIGGER IF EXISTS payloads_delete_needs_redaction")
        self.db.execute("DELETE FROM payloads WHERE seq = ?", (seq,))

    def forge(self, key, type, stream, payload, *, time=None, seq=None, prev_hash=None, stream_version=None,
              actor=None, store_payload=True, signature=None, columns=None, idempotency_key=None,
              correlation_id=None, row_seq=None):
        """Builds, hashes, signs and inserts one event; returns what it wrote.

        Defaults make a correct event at the head: seq = head + 1, prevHash = the head's
        recomputed hash, time = the head's time (never earlier), the stream's next version,
        actor = the identity the ledger registers the key to. `row_seq` stores the row (and its
        payload) at another seq than the envelope's.
        """
        head_seq, head_hash, head_envelope = self.head()
        payload_bytes = jcs(payload)
        envelope = {
            "v": 1,
            "seq": head_seq + 1 if seq is None else seq,
            "type": type,
            "stream": stream,
            "streamVersion": self.stream_version(stream) + 1 if stream_version is None else stream_version,
            "actor": actor if actor is not None else self.identity_of(key.key_id),
            "keyId": key.key_id,
            "time": time if time is not None else head_envelope["time"],
            "prevHash": head_hash if prev_hash is None else prev_hash,
            "payloadHash": sha256(payload_bytes).hex(),
        }
        if idempotency_key is not None:
            envelope["idempotencyKey"] = idempotency_key
        if correlation_id is not None:
            envelope["correlationId"] = correlation_id
        envelope_bytes = jcs(envelope)
        digest = event_hash(envelope_bytes)
        if signature is None:
            signature = key.sign(digest)
        columns = dict(columns or {})
        if row_seq is not None:
            columns["seq"] = row_seq
        self.insert_row(envelope_bytes, signature, columns=columns)
        if store_payload:
            self.insert_payload(columns.get("seq", envelope["seq"]), payload_bytes)
        return {"seq": envelope["seq"], "rowSeq": columns.get("seq", envelope["seq"]), "type": type, "stream": stream, "time": envelope["time"],
                "hash": digest.hex(), "payloadStored": store_payload}


# ---------------------------------------------------------------------------------------------
# Realistic payloads, in the shapes the demo ledger's own rows have.

def opened_like(template_payload, template_time, request_id, time):
    """A request.opened payload copied from an earlier request, re-dated to `time`."""
    delta = parse_time(time) - parse_time(template_time)
    payload = shift_times(template_payload, delta)
    payload["requestId"] = request_id
    return payload


def vote(decision, reason, request_version):
    return {"decision": decision, "reason": reason, "requestVersion": request_version}


def grant(request_id, approvers, rule, expires_at, one_shot=True, change_digest=None, group_text=None,
          explanation=None):
    body = {"expiresAt": expires_at, "id": f"{request_id}/grant", "oneShot": one_shot}
    if change_digest is not None:
        body["changeDigest"] = change_digest
    if explanation is None:
        n = len(approvers)
        explanation = (f"granted under rule {rule}: {group_text}; {n} of {n} approvals by {', '.join(approvers)}")
    return {"approvers": approvers, "automatic": False, "explanation": explanation, "grant": body, "rule": rule}


def execution(request_id, outcome="succeeded", detail="pipeline run 7001", change_digest=None):
    payload = {"detail": detail, "grantId": f"{request_id}/grant", "outcome": outcome}
    if change_digest is not None:
        payload["changeDigest"] = change_digest
    return payload
