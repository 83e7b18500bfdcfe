#!/usr/bin/env python3
"""Independent reference verifier for approval-ledger evidence bundles.

Written from docs/FORMAT.md alone (§Evidence bundles, §JSON Lines, §Checkpoints,
§Verification), with nothing but the Python 3 standard library and the `cryptography`
package, so that an auditor can check a bundle without running, or trusting, the `ledger`
tool that wrote it. It shares no code with that tool: where the two disagree, one of them or
the specification is wrong.

    python3 verify_bundle.py BUNDLE_DIR [--anchor CHECKPOINT ...] [--strict] [--format json]

Exit status: 0 verified, 1 not verified (findings), 2 could not run (no such bundle, an
unreadable --anchor, `cryptography` missing).
"""

import argparse
import base64
import hashlib
import json
import math
import os
import re
import stat
import sys
import time as time_module

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
except ImportError:  # pragma: no cover - depends on the machine
    sys.stderr.write("error: the `cryptography` package is required: python3 -m pip install cryptography\n")
    sys.exit(2)

EVENT_PREFIX = b"approval-ledger/event/v1\n"
CHECKPOINT_PREFIX = b"approval-ledger/checkpoint/v1\n"
COMMAND_PREFIX = b"approval-ledger/command/v1\n"
COMMAND_SKEW_MS = 5 * 60 * 1000
ZERO_HASH = bytes(32)
MAX_FINDINGS_SHOWN = 10_000

# ---------------------------------------------------------------------------------------------
# JSON (§Accepted JSON) and the canonical form (§Canonical form, RFC 8785), as in the
# appendix of docs/FORMAT.md.


class Invalid(Exception):
    """Bytes or a value that break a rule of the format; the message says which."""


class UnsupportedVersion(Invalid):
    """An envelope, genesis or checkpoint of a format version other than 1 (§Versioning)."""


def check_version(value, member, what):
    """§Versioning: the version member is judged before any other, since it decides them."""
    if isinstance(value, dict) and member in value and _is_integer(value[member]) and value[member] != 1:
        raise UnsupportedVersion(f"{what} format version {int(value[member])} is not supported (this verifier reads 1)")


def _pairs(pairs):
    obj = {}
    for name, value in pairs:
        if name in obj:
            raise Invalid(f"duplicate member name {name!r}")
        obj[name] = value
    return obj


def _integer(text):
    value = int(text)
    if abs(value) > 2**53 - 1:
        raise Invalid("integer beyond 2^53 - 1")
    return value


def _finite(text):
    value = float(text)
    if not math.isfinite(value):
        raise Invalid(f"{text} does not fit in a double")
    return value


def _refuse(name):
    raise Invalid(f"{name} is not JSON")


def _check_strings_and_depth(value, depth, max_depth):
    if isinstance(value, str):
        value.encode("utf-8")  # raises on a lone surrogate
    elif isinstance(value, (list, dict)):
        if depth + 1 > max_depth:
            raise Invalid(f"nested deeper than {max_depth}")
        items = value if isinstance(value, list) else [x for kv in value.items() for x in kv]
        for item in items:
            _check_strings_and_depth(item, depth + 1, max_depth)


def parse_json(data: bytes, max_bytes=16 << 20, max_depth=64):
    """Parses under §Accepted JSON; raises Invalid."""
    if len(data) > max_bytes:
        raise Invalid(f"larger than {max_bytes} bytes")
    try:
        text = data.decode("utf-8")
        value = json.loads(text, object_pairs_hook=_pairs, parse_int=_integer, parse_float=_finite,
                           parse_constant=_refuse)
        _check_strings_and_depth(value, 0, max_depth)
    except Invalid:
        raise
    except (UnicodeError, ValueError, RecursionError) as error:
        raise Invalid(f"not valid JSON: {error}") from None
    return value


def _number(x) -> str:
    x = float(x)
    if not math.isfinite(x):
        raise Invalid("NaN and Infinity are not JSON")
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


def _string(s: str) -> str:
    return '"' + "".join(_ESCAPES.get(c) or (f"\\u{ord(c):04x}" if ord(c) < 0x20 else c) for c in s) + '"'


def _text(v) -> str:
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


def jcs(value) -> bytes:
    return _text(value).encode("utf-8")


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


# ---------------------------------------------------------------------------------------------
# Field rules (§Conventions, §Envelope, §Keys).

_TOKEN = re.compile(r"[A-Za-z0-9._:$-]{1,128}")
_IDENTITY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}")
_KEY_ID = re.compile(r"ed25519:[0-9a-f]{32}")
_TIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})\.[0-9]{3}Z")
_HEX = re.compile(r"[0-9a-f]*")


def _is_time(text) -> bool:
    m = _TIME.fullmatch(text) if isinstance(text, str) else None
    if not m:
        return False
    year, month, day, hour, minute, second = (int(g) for g in m.groups())
    if not 1 <= month <= 12 or hour > 23 or minute > 59 or second > 59:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return 1 <= day <= days


def _is_integer(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) <= 2**53 - 1
    return isinstance(value, float) and value.is_integer() and abs(value) <= 2**53 - 1


class Fields:
    """Typed members of a JSON object, with errors that name the object and member."""

    def __init__(self, value, what, allowed):
        if not isinstance(value, dict):
            raise Invalid(f"{what} must be a JSON object")
        for name in value:
            if name not in allowed:
                raise Invalid(f"{what} has unknown member {name!r}")
        self.value, self.what = value, what

    def get(self, name):
        if name not in self.value:
            raise Invalid(f"{self.what} is missing {name!r}")
        return self.value[name]

    def bad(self, name, expectation):
        return Invalid(f"{self.what} member {name!r} must be {expectation}")

    def string(self, name):
        value = self.get(name)
        if not isinstance(value, str):
            raise self.bad(name, "a string")
        return value

    def integer(self, name, minimum=None):
        value = self.get(name)
        if not _is_integer(value) or (minimum is not None and value < minimum):
            raise self.bad(name, "an integer" + (f" >= {minimum}" if minimum is not None else ""))
        return int(value)

    def token(self, name):
        value = self.string(name)
        if not _TOKEN.fullmatch(value):
            raise self.bad(name, "a token")
        return value

    def identity(self, name):
        value = self.string(name)
        if not _IDENTITY.fullmatch(value):
            raise self.bad(name, "an identity")
        return value

    def key_id(self, name):
        value = self.string(name)
        if not _KEY_ID.fullmatch(value):
            raise self.bad(name, "a key id")
        return value

    def time(self, name):
        value = self.string(name)
        if not _is_time(value):
            raise self.bad(name, "a time YYYY-MM-DDTHH:MM:SS.mmmZ")
        return value

    def hex_bytes(self, name, count):
        value = self.string(name)
        if len(value) != 2 * count or not _HEX.fullmatch(value):
            raise self.bad(name, f"{2 * count} lowercase hex digits")
        return bytes.fromhex(value)

    def optional_reference(self, name):
        if name not in self.value:
            return None
        value = self.string(name)
        if not 1 <= len(value) <= 256 or any(not 0x21 <= ord(c) <= 0x7E for c in value):
            raise self.bad(name, "1-256 printable ASCII characters")
        return value


def key_id_of(public_key: bytes) -> str:
    return "ed25519:" + sha256(public_key)[:16].hex()


ENVELOPE_MEMBERS = {"v", "seq", "type", "stream", "streamVersion", "actor", "keyId", "time", "prevHash",
                    "payloadHash", "idempotencyKey", "correlationId", "origin"}


EVIDENCE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]{0,63}")
# §Identity links: an account, and the relay channels whose `via` names one.
ACCOUNT = re.compile(r"slack:[A-Z0-9]{1,32}/[A-Z0-9]{1,32}")
LINKED_CHANNELS = {"slack"}


def printable_reference(text: str) -> bool:
    return 1 <= len(text) <= 256 and all(0x21 <= ord(c) <= 0x7E for c in text)


def decode_origin(value) -> dict:
    """§Origin: a relayed origin ({"via"}) or a signed one; raises Invalid."""
    if isinstance(value, dict) and "via" in value:
        f = Fields(value, "origin", {"via", "evidence"})
        via = f.string("via")
        if not printable_reference(via):
            raise f.bad("via", "1-256 printable ASCII characters")
        evidence = value.get("evidence")
        if evidence is not None and not (
                isinstance(evidence, dict) and 1 <= len(evidence) <= 16
                and all(EVIDENCE_NAME.fullmatch(k) and isinstance(v, str) and printable_reference(v)
                        for k, v in evidence.items())):
            raise f.bad("evidence", "an object of 1-16 members, names of 1-64 letters and digits starting with a "
                        "letter, values of 1-256 printable ASCII characters")
        return {"via": via}
    f = Fields(value, "origin", {"hash", "keyId", "nonce", "signature", "time"})
    nonce = f.string("nonce")
    if not 1 <= len(nonce) <= 256 or any(not 0x21 <= ord(c) <= 0x7E for c in nonce):
        raise f.bad("nonce", "1-256 printable ASCII characters")
    return {"hash": f.hex_bytes("hash", 32), "keyId": f.key_id("keyId"), "nonce": nonce,
            "signature": f.hex_bytes("signature", 64), "time": f.time("time")}


def decode_envelope(data: bytes) -> dict:
    """§Envelope: the decoded members of valid canonical envelope bytes; raises Invalid."""
    value = parse_json(data)
    check_version(value, "v", "envelope")
    f = Fields(value, "envelope", ENVELOPE_MEMBERS)
    f.integer("v")
    envelope = {
        "seq": f.integer("seq", 1), "type": f.token("type"), "stream": f.token("stream"),
        "streamVersion": f.integer("streamVersion", 1), "actor": f.identity("actor"), "keyId": f.key_id("keyId"),
        "time": f.time("time"), "prevHash": f.hex_bytes("prevHash", 32), "payloadHash": f.hex_bytes("payloadHash", 32),
        "idempotencyKey": f.optional_reference("idempotencyKey"), "correlationId": f.optional_reference("correlationId"),
        "origin": decode_origin(value["origin"]) if "origin" in value else None,
    }
    if jcs(value) != data:
        raise Invalid("envelope bytes are not canonical")
    return envelope


CAPABILITIES = ["admin", "append", "approve", "clock", "execute", "redact", "relay", "request"]


def key_registration(value, what) -> dict:
    """§Key registration; raises Invalid."""
    f = Fields(value, what, {"keyId", "publicKey", "identity", "capabilities"})
    public_key = f.hex_bytes("publicKey", 32)
    key_id = f.key_id("keyId")
    if key_id != key_id_of(public_key):
        raise Invalid(f"{what} keyId is not the key id of its publicKey")
    identity = f.identity("identity")
    capabilities = f.get("capabilities")
    if not isinstance(capabilities, list) or not all(isinstance(c, str) for c in capabilities):
        raise Invalid(f"{what} capabilities must be an array of strings")
    for name in capabilities:
        if name not in CAPABILITIES:
            raise Invalid(f"{what} names unknown capability {name!r}")
    if capabilities != sorted(set(capabilities), key=lambda c: c.encode()):
        raise Invalid(f"{what} capabilities must be sorted and unique")
    return {"keyId": key_id, "publicKey": public_key, "identity": identity, "capabilities": capabilities}


def genesis_payload(value) -> dict:
    """§Genesis; raises Invalid."""
    check_version(value, "formatVersion", "ledger")
    f = Fields(value, "genesis payload", {"ledgerId", "formatVersion", "rootKey"})
    ledger_id = f.token("ledgerId")
    f.integer("formatVersion")
    root = key_registration(f.get("rootKey"), "genesis rootKey")
    if "admin" not in root["capabilities"]:
        raise Invalid("genesis rootKey lacks the admin capability")
    return {"ledgerId": ledger_id, "rootKey": root}


CONSEQUENCE_TYPES = {"request.granted", "request.denied", "vote.rejected", "execution.refused"}
# FORMAT.md §Time: no event may be dated beyond the verifier's clock plus 5 minutes. Times are
# fixed-width UTC text, so comparing the strings compares the instants.
LATEST_TIME = time_module.strftime("%Y-%m-%dT%H:%M:%S.999Z", time_module.gmtime(time_module.time() + 300))
CLOCK_TYPES = {"request.expired", "request.escalated"}  # outcomes only a clock produces


WORKFLOW_NAMESPACES = {"policy", "request", "vote", "review", "execution"}


def has_capability(capabilities, needed) -> bool:
    return "admin" in capabilities or needed in capabilities


def time_ms(text) -> int:
    """Milliseconds since the epoch of a §Time value YYYY-MM-DDTHH:MM:SS.mmmZ."""
    import calendar
    seconds = calendar.timegm(time_module.strptime(text[:19], "%Y-%m-%dT%H:%M:%S"))
    return seconds * 1000 + int(text[20:23])


def required_capability(event_type: str):
    """§Capabilities: the capability a type needs, or None for consequence types."""
    if event_type in CONSEQUENCE_TYPES:
        return None
    if event_type in CLOCK_TYPES:
        return "clock"
    prefix = event_type.split(".", 1)[0]
    return {"ledger": "admin", "key": "admin", "policy": "admin", "identity": "admin", "request": "request", "vote": "approve",
            "review": "approve", "execution": "execute", "payload": "redact"}.get(prefix, "append")


# §Redaction: the namespaces whose payloads the rules are re-derived from, never erased.
REQUIRED_NAMESPACES = {"ledger", "key", "policy", "request", "vote", "review", "execution", "payload", "identity"}


# Unicode's White_Space property: a redaction's reason or basis of these code points alone is
# empty (str.strip and str.isspace use another definition, with U+001C…U+001F in it).
WHITE_SPACE = set(map(chr, [*range(0x09, 0x0E), 0x20, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B),
                            0x2028, 0x2029, 0x202F, 0x205F, 0x3000]))


def payload_required(event_type: str) -> bool:
    return event_type.split(".", 1)[0] in REQUIRED_NAMESPACES


SYSTEM_STREAMS = {"$ledger": {"ledger.genesis"}, "$keys": {"key.registered", "key.revoked"},
                  "$policy": {"policy.published"}, "$redactions": {"payload.redacted"},
                  "$identities": {"identity.linked", "identity.unlinked"}}


def stream_violation(event_type: str, stream: str):
    """§System events: why `event_type` may not be in `stream`, or None."""
    if stream in SYSTEM_STREAMS:
        return None if event_type in SYSTEM_STREAMS[stream] else f"stream {stream} does not hold {event_type} events"
    if stream.startswith("$"):
        return f"stream {stream} is reserved"
    for owner, types in SYSTEM_STREAMS.items():
        if event_type in types:
            return f"{event_type} events belong in stream {owner}"
    return None


NOTE_ORIGIN_PREFIX = "approval-ledger/"
_BASE64 = re.compile(r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")


def strict_b64decode(text: str) -> bytes:
    """Standard padded base64, one spelling per byte string (§Checkpoints, C2SP signed-note)."""
    if not _BASE64.match(text):
        raise Invalid("not padded standard base64")
    data = base64.b64decode(text, validate=True)
    if base64.b64encode(data).decode() != text:
        raise Invalid("base64 with non-zero padding bits")
    return data


def read_note_checkpoint(data: bytes) -> dict:
    """§Checkpoints, the C2SP checkpoint note: origin, size and Merkle root, then signature lines."""
    if len(data) > 64 * 1024:
        raise Invalid("a checkpoint note is at most 64 KiB")
    split = data.rfind(b"\n\n")
    if split < 0:
        raise Invalid("a signed note needs a blank line before its signatures")
    text, block = data[:split + 1], data[split + 2:]
    if any(b < 0x20 and b != 0x0A for b in text):
        raise Invalid("a note's text holds a control character")
    lines = text.decode("utf-8").split("\n")[:-1]
    if len(lines) < 3 or not lines[0].startswith(NOTE_ORIGIN_PREFIX):
        raise Invalid("a checkpoint's text is an approval ledger's origin, a size and a root")
    origin, size, root = lines[0], lines[1], lines[2]
    if not re.fullmatch(r"[1-9][0-9]*", size):
        raise Invalid("the checkpoint size is not a decimal number >= 1 without leading zeros")
    root = strict_b64decode(root)
    if len(root) != 32:
        raise Invalid("the checkpoint root is not 32 bytes")
    if not block.endswith(b"\n"):
        raise Invalid("the signature lines do not end with a line feed")
    signatures = []
    for line in block[:-1].split(b"\n"):
        line = line.decode("utf-8")
        if not line.startswith("\u2014 "):
            raise Invalid("a signature line starts with an em dash and a space")
        parts = line[2:].split(" ")
        if len(parts) != 2 or not parts[0] or "+" in parts[0]:
            raise Invalid("a signature line is '— NAME BASE64'")
        raw = strict_b64decode(parts[1])
        if len(raw) < 5:
            raise Invalid("a signature line holds a key hash and a signature")
        signatures.append((parts[0], raw[:4], raw[4:]))
    if not any(name == origin for name, _, _ in signatures):
        raise Invalid("the checkpoint carries no signature by its origin")
    return {"form": "note", "ledgerId": origin[len(NOTE_ORIGIN_PREFIX):], "origin": origin, "size": int(size),
            "root": root, "text": text, "signatures": signatures}


def note_key_hash(name: str, public_key: bytes) -> bytes:
    """C2SP signed-note: the first 4 bytes of SHA-256(name ‖ LF ‖ 0x01 ‖ Ed25519 public key)."""
    return sha256(name.encode() + b"\n\x01" + public_key)[:4]


def note_signed_by(note: dict, public_key: bytes) -> bool:
    key_hash = note_key_hash(note["origin"], public_key)
    return any(name == note["origin"] and kh == key_hash and ed25519_valid(public_key, sig, note["text"])
               for name, kh, sig in note["signatures"])


def merkle_leaf(entry: bytes) -> bytes:
    """§Merkle tree: RFC 6962 leaf hash; the entry is the event hash."""
    return sha256(b"\x00" + entry)


def merkle_node(left: bytes, right: bytes) -> bytes:
    return sha256(b"\x01" + left + right)


class MerkleFrontier:
    """The perfect-subtree roots of the tree built so far, largest first (one per set bit of size)."""
    def __init__(self):
        self.size = 0
        self.subtrees = []

    def append(self, leaf: bytes):
        node, index = leaf, self.size
        while index & 1:
            node = merkle_node(self.subtrees.pop(), node)
            index >>= 1
        self.subtrees.append(node)
        self.size += 1

    def root(self) -> bytes:
        if not self.subtrees:
            return sha256(b"")
        node = self.subtrees[-1]
        for subtree in reversed(self.subtrees[:-1]):
            node = merkle_node(subtree, node)
        return node


def verify_inclusion(index: int, size: int, leaf: bytes, path: list, root: bytes) -> bool:
    """RFC 9162 §2.1.3.2."""
    if index >= size or len(leaf) != 32 or any(len(p) != 32 for p in path):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = merkle_node(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = merkle_node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def read_checkpoint(data: bytes) -> dict:
    """§Checkpoints, reader rules (either form); raises Invalid."""
    if data.startswith(NOTE_ORIGIN_PREFIX.encode()):
        try:
            return read_note_checkpoint(data)
        except (UnicodeDecodeError, ValueError) as error:
            raise Invalid(f"malformed checkpoint note: {error}")
    if data.endswith(b"\n"):
        data = data[:-1]
    value = parse_json(data, max_bytes=64 * 1024, max_depth=4)
    if isinstance(value, dict) and value.get("type") != "approval-ledger.checkpoint":
        raise Invalid("checkpoint type is not approval-ledger.checkpoint")
    check_version(value, "v", "checkpoint")
    f = Fields(value, "checkpoint", {"type", "v", "ledgerId", "size", "headHash", "time", "keyId", "publicKey",
                                     "signature"})
    f.string("type")
    f.integer("v")
    checkpoint = {
        "ledgerId": f.token("ledgerId"), "size": f.integer("size", 1), "headHash": f.hex_bytes("headHash", 32),
        "time": f.time("time"), "keyId": f.key_id("keyId"), "publicKey": f.hex_bytes("publicKey", 32),
        "signature": f.hex_bytes("signature", 64), "form": "json",
    }
    if checkpoint["keyId"] != key_id_of(checkpoint["publicKey"]):
        raise Invalid("checkpoint keyId is not the key id of its publicKey")
    statement = {k: v for k, v in value.items() if k != "signature"}
    digest = sha256(CHECKPOINT_PREFIX + jcs(statement))
    if not ed25519_valid(checkpoint["publicKey"], checkpoint["signature"], digest):
        raise Invalid("checkpoint signature does not verify")
    return checkpoint


_PUBLIC_KEYS = {}


def ed25519_valid(public_key: bytes, signature: bytes, message: bytes) -> bool:
    if len(signature) != 64:
        return False
    try:
        key = _PUBLIC_KEYS.get(public_key)
        if key is None:
            key = _PUBLIC_KEYS[public_key] = Ed25519PublicKey.from_public_bytes(public_key)
        key.verify(signature, message)
        return True
    except (InvalidSignature, ValueError):
        return False


# ---------------------------------------------------------------------------------------------
# §Verification, over rows (seq, envelope bytes, stored hash, payload bytes or None, signature).

SEVERITY = {"payload-redacted": "info", "payload-withheld": "info", "anchor-beyond-bundle": "warning",
            "redaction-incomplete": "warning"}


class LedgerVerifier:
    def __init__(self, anchors, extra_anchors=()):
        self.findings = []
        self.last = 0
        self.count = 0
        self.head = None
        self.first_time = None
        self.last_time = None
        self.stream_versions = {}
        self.timeline = {}  # key id -> {"registration", "registered", "revoked"}
        self.ledger_id = None
        self.anchors = {}
        for anchor in list(anchors) + list(extra_anchors):
            self.anchors.setdefault(anchor["size"], []).append(anchor)
        self.extra = [id(anchor) for anchor in extra_anchors]  # the auditor's own checkpoints
        self.idempotency_keys = {}  # key -> the seq of the first event carrying it
        self.signatures = 0
        self.envelope = None  # the decoded envelope of the last row walked, if valid
        self.tree = MerkleFrontier()  # §Merkle tree, over the recomputed event hashes
        self.selection = False  # §Request bundles
        self.hashes = []  # (seq, recomputed event hash) of every row walked, for the proofs
        self.walked = {}  # seq -> (event hash, type, payload present) of every event walked
        self.absent = set()  # erasable events without a payload that no redaction answered for yet
        self.redacted = set()  # targets of the redactions walked
        self.links = {}  # §Identity links: account -> identity, as the links walked so far say

    def find(self, code, seq, message):
        self.findings.append({"code": code, "severity": SEVERITY.get(code, "error"), "seq": seq, "message": message})

    def status(self, key_id, seq):
        entry = self.timeline.get(key_id)
        if entry is None or not (entry["registered"] < seq or (entry["registered"] == 1 and seq == 1)):
            return "unknown", None
        if entry["revoked"] is not None and entry["revoked"] < seq:
            return "revoked", entry
        return "valid", entry

    def check_signature(self, seq, public_key, signature, digest):
        self.signatures += 1
        if not ed25519_valid(public_key, signature, digest):
            self.find("signature-invalid", seq, "the Ed25519 signature does not verify under the key the event names")

    def walk(self, seq, envelope_bytes, stored_hash, payload_bytes, signature):
        contiguous = seq == self.last + 1                                          # 1. sequence
        # A request bundle's events are a selection placed by their proofs: only going back is a fault.
        if not contiguous and not (self.selection and seq > self.last):
            self.find("seq-gap", seq, f"seq {seq} follows {self.last}")
        self.count += 1
        self.last = seq
        digest = sha256(EVENT_PREFIX + envelope_bytes)                             # 2. hash
        if stored_hash != digest:
            self.find("hash-mismatch", seq, "the stored hash is not the hash of the envelope bytes")
        previous, self.head = self.head, digest
        self.tree.append(merkle_leaf(digest))
        self.hashes.append((seq, digest))
        self.envelope = None
        try:
            self._walk(seq, contiguous, previous, digest, envelope_bytes, payload_bytes, signature)
        finally:
            for anchor in self.anchors.pop(seq, []):                               # 11. anchors
                self.check_anchor(anchor, digest)

    def _walk(self, seq, contiguous, previous, digest, envelope_bytes, payload_bytes, signature):
        try:                                                                       # 3. envelope
            envelope = decode_envelope(envelope_bytes)
        except UnsupportedVersion as error:
            self.find("unsupported-version", seq, f"the envelope is invalid: {error}")
            return
        except Invalid as error:
            self.find("envelope-invalid", seq, f"the envelope is invalid: {error}")
            return
        self.envelope = envelope
        key = envelope["idempotencyKey"]                                           # idempotency
        if key is not None:
            if key in self.idempotency_keys:
                self.find("duplicate-idempotency-key", seq, f"idempotency key {key!r} was already used by event "
                          f"{self.idempotency_keys[key]}")
            else:
                self.idempotency_keys[key] = seq
        if contiguous:                                                             # 5. chain
            expected = ZERO_HASH if seq == 1 else previous
            if expected is not None and envelope["prevHash"] != expected:
                self.find("chain-broken", seq, "prevHash does not link to the hash of the event before")
        time = envelope["time"]                                                    # 6. time
        if self.first_time is None:
            self.first_time = time
        if self.last_time is not None and time < self.last_time:
            self.find("time-regression", seq, f"time {time} is earlier than {self.last_time}")
        if time > LATEST_TIME:
            self.find("time-future", seq, f"time {time} is later than this verifier's clock plus the allowed skew ({LATEST_TIME})")
        self.last_time = max(self.last_time or time, time)
        stream, event_type = envelope["stream"], envelope["type"]                  # 7. stream version
        if envelope["streamVersion"] != self.stream_versions.get(stream, 0) + 1:
            self.find("stream-version-gap", seq, f"stream {stream!r} goes from version "
                      f"{self.stream_versions.get(stream, 0)} to {envelope['streamVersion']}")
        self.stream_versions[stream] = envelope["streamVersion"]
        violation = stream_violation(event_type, stream)
        if violation:
            self.find("stream-invalid", seq, violation)
        key_event = event_type in ("key.registered", "key.revoked")
        payload = None                                                             # 8. payload
        if payload_bytes is not None:
            if sha256(payload_bytes) != envelope["payloadHash"]:
                self.find("payload-mismatch", seq, "the payload does not match the payloadHash of the envelope")
            elif seq == 1 or key_event or stream == "$identities":
                try:
                    payload = parse_json(payload_bytes)
                except Invalid:
                    self.find("payload-mismatch", seq, "the payload matches its hash but is not valid JSON")
        elif payload_required(event_type) and stream.startswith("$"):
            self.find("payload-missing", seq, "a bundle may not withhold the payload of a system event")
        elif payload_required(event_type):
            self.find("payload-withheld", seq, "the bundle withholds this payload")
        else:
            self.absent.add(seq)  # withheld, or erased by a redaction later in the log
        self.walked[seq] = (digest, event_type, payload_bytes is not None)
        if seq == 1:                                                               # 9. genesis
            self.walk_genesis(envelope, payload, signature, digest)
            return
        if event_type == "ledger.genesis":                                         # 10. signer
            self.find("genesis-invalid", seq, "a second genesis event")
        state, entry = self.status(envelope["keyId"], seq)
        if state == "unknown":
            self.find("key-unknown", seq, f"signed by key {envelope['keyId']}, not registered before this event")
        elif state == "revoked":
            self.find("key-revoked", seq, f"signed by key {envelope['keyId']} after its revocation at seq {entry['revoked']}")
        else:
            registration = entry["registration"]
            needed = required_capability(event_type)
            if envelope["origin"] is not None:
                self.check_origin(envelope, registration, seq)
            elif registration["identity"] != envelope["actor"]:
                self.find("key-identity-mismatch", seq, f"actor {envelope['actor']!r} signed with a key of "
                          f"{registration['identity']!r}")
            elif needed is not None and "admin" not in registration["capabilities"] \
                    and needed not in registration["capabilities"]:
                self.find("key-not-authorized", seq, f"the key lacks the {needed!r} capability for {event_type}")
            self.check_signature(seq, registration["publicKey"], signature, digest)  # 12. signature
            if event_type == "payload.redacted" and stream == "$redactions" and payload_bytes is not None \
                    and sha256(payload_bytes) == envelope["payloadHash"]:
                answerable = envelope["origin"] is None and registration["identity"] == envelope["actor"] \
                    and has_capability(registration["capabilities"], "redact")
                self.check_redaction(seq, envelope, payload_bytes, answerable)
            if stream == "$identities" and envelope["origin"] is None and registration["identity"] == envelope["actor"] \
                    and has_capability(registration["capabilities"], "admin"):
                self.apply_link(event_type, payload, seq)
        if key_event:
            if payload is None:
                self.find("key-event-invalid", seq, f"the payload of this {event_type} event is unavailable")
            else:
                try:
                    self.apply_key_event(event_type, payload, seq)
                except Invalid as error:
                    self.find("key-event-invalid", seq, str(error))

    def apply_link(self, event_type, payload, seq):
        """§Identity links: an admin's link or unlink, applied to the links in force."""
        def invalid(why):
            self.find("identity-link-invalid", seq, f"{why}; the event changes no link")
        if not isinstance(payload, dict):
            return invalid("the payload is unavailable or not an object")
        account = payload.get("account")
        if event_type == "identity.linked":
            identity = payload.get("identity")
            if set(payload) != {"account", "identity"} or not isinstance(account, str) or not ACCOUNT.fullmatch(account) \
                    or not isinstance(identity, str) or not _IDENTITY.fullmatch(identity):
                return invalid("not a valid identity link")
            if account in self.links:
                return invalid(f"{account} is already linked to {self.links[account]!r}")
            self.links[account] = identity
        else:
            if set(payload) != {"account", "reason"} or not isinstance(account, str) \
                    or not isinstance(payload.get("reason"), str):
                return invalid("not a valid identity unlink")
            if self.links.pop(account, None) is None:
                return invalid(f"{account!r} is not linked")

    def check_origin(self, envelope, relay, seq):
        """§Origin: the relay may relay; a relayed event needs its capability for the type, a
        signed one the caller's key, signature, time window and idempotency key. (The command
        read back from an approval event is the domain verifier's to check; the format's own
        `append` statement is checked here.)"""
        event_type, origin = envelope["type"], envelope["origin"]
        if not has_capability(relay["capabilities"], "relay"):
            self.find("relay-not-authorized", seq, f"key {envelope['keyId']} of {relay['identity']!r} appended for "
                      f"{envelope['actor']!r} without the relay capability")
        if envelope["stream"].startswith("$"):
            self.find("command-invalid", seq, "a system event carries an origin")
        needed = required_capability(event_type)
        if "via" in origin:
            if needed is not None and not has_capability(relay["capabilities"], needed):
                self.find("key-not-authorized", seq, f"the relay key lacks the {needed!r} capability for {event_type}")
            via = origin["via"]
            if via.split(":", 1)[0] in LINKED_CHANNELS and envelope["actor"] != relay["identity"] \
                    and self.links.get(via) != envelope["actor"]:
                self.find("relay-unlinked", seq, f"relayed through {via} for {envelope['actor']!r}, but that account is "
                          f"linked to {self.links.get(via)!r} here")
            return
        if envelope["idempotencyKey"] != "command:" + origin["hash"].hex():
            self.find("command-invalid", seq, "the event does not carry its signed command's idempotency key")
        if abs(time_ms(origin["time"]) - time_ms(envelope["time"])) > COMMAND_SKEW_MS:
            self.find("command-stale", seq, f"the command was signed at {origin['time']}, more than 5 minutes from "
                      f"the event's time {envelope['time']}")
        namespace = event_type.split(".", 1)[0]
        if namespace not in WORKFLOW_NAMESPACES and self.ledger_id is not None:
            statement = {"args": {"payloadHash": envelope["payloadHash"].hex(), "type": event_type}, "command": "append",
                         "keyId": origin["keyId"], "ledgerId": self.ledger_id, "nonce": origin["nonce"],
                         "stream": envelope["stream"], "time": origin["time"], "v": 1}
            if sha256(COMMAND_PREFIX + jcs(statement)) != origin["hash"]:
                self.find("command-mismatch", seq, "the event is not the append its caller signed")
        state, entry = self.status(origin["keyId"], seq)
        if state != "valid":
            self.find("command-signature-invalid", seq, f"the command is signed by key {origin['keyId']}, which is {state} here")
            return
        caller = entry["registration"]
        if caller["identity"] != envelope["actor"]:
            self.find("command-signature-invalid", seq, f"the command is signed by a key of {caller['identity']!r}, "
                      f"not of {envelope['actor']!r}")
        elif needed is not None and not has_capability(caller["capabilities"], needed):
            self.find("command-signature-invalid", seq, f"the caller's key lacks the {needed!r} capability for {event_type}")
        self.signatures += 1
        if not ed25519_valid(caller["publicKey"], origin["signature"], origin["hash"]):
            self.find("command-signature-invalid", seq, "the caller's signature over the command does not verify")

    def walk_genesis(self, envelope, payload, signature, digest):
        if envelope["type"] != "ledger.genesis":
            self.find("genesis-invalid", 1, f"the first event is {envelope['type']}, not ledger.genesis")
            return
        if payload is None:
            self.find("genesis-invalid", 1, "the genesis payload is missing or altered")
            return
        try:
            genesis = genesis_payload(payload)
        except UnsupportedVersion as error:
            self.find("unsupported-version", 1, f"the genesis payload is invalid: {error}")
            return
        except Invalid as error:
            self.find("genesis-invalid", 1, f"the genesis payload is invalid: {error}")
            return
        self.ledger_id = genesis["ledgerId"]
        root = genesis["rootKey"]
        self.timeline[root["keyId"]] = {"registration": root, "registered": 1, "revoked": None}
        if envelope["keyId"] != root["keyId"] or envelope["actor"] != root["identity"]:
            self.find("genesis-invalid", 1, "the genesis event is not signed by the root key it names")
            return
        self.check_signature(1, root["publicKey"], signature, digest)

    def apply_key_event(self, event_type, payload, seq):
        if event_type == "key.registered":
            registration = key_registration(payload, f"key.registered payload (seq {seq})")
            if registration["keyId"] in self.timeline:
                raise Invalid(f"key {registration['keyId']} is registered a second time")
            self.timeline[registration["keyId"]] = {"registration": registration, "registered": seq, "revoked": None}
        else:
            f = Fields(payload, f"key.revoked payload (seq {seq})", {"keyId", "reason"})
            key_id = f.key_id("keyId")
            f.string("reason")
            entry = self.timeline.get(key_id)
            if entry is None or entry["revoked"] is not None:
                raise Invalid(f"revokes key {key_id}, which is unknown or already revoked")
            entry["revoked"] = seq

    def check_anchor(self, anchor, digest):
        size = anchor["size"]
        if self.ledger_id is not None and anchor["ledgerId"] != self.ledger_id:
            self.find("anchor-foreign", None, f"the checkpoint of size {size} belongs to ledger {anchor['ledgerId']}")
            return
        if digest is None:
            self.find("anchor-ahead", None, f"the checkpoint covers {size} events but there are only {self.last}")
            return
        if anchor["form"] == "note":
            if not self.selection and (self.tree.size != size or self.tree.root() != anchor["root"]):
                self.find("anchor-mismatch", size, f"the Merkle tree of events 1…{size} does not have the root the checkpoint names")
            keys = [entry["registration"]["publicKey"] for key_id, entry in self.timeline.items()
                    if self.status(key_id, size + 1)[0] == "valid"]
            if not any(note_signed_by(anchor, key) for key in keys):
                self.find("anchor-untrusted", None, f"no key of this ledger valid at seq {size + 1} signed the checkpoint of size {size}")
            return
        if digest != anchor["headHash"]:
            self.find("anchor-mismatch", size, f"event {size} does not have the hash the checkpoint names")
        state, _ = self.status(anchor["keyId"], size + 1)
        if state != "valid":
            self.find("anchor-untrusted", None, f"the checkpoint of size {size} is signed by key {anchor['keyId']}, "
                      f"which is {state} in this ledger at seq {size + 1}")

    def check_redaction(self, seq, envelope, payload_bytes, answerable):
        """§Redaction: a record names an earlier, erasable event by its hash, once; a valid one
        by a key that may redact answers for that event's absent payload."""
        try:
            record = parse_json(payload_bytes)
            if jcs(record) != payload_bytes:
                raise Invalid("the record is not in canonical form")
            if not isinstance(record, dict) or set(record) != {"seq", "eventHash", "reason", "basis"}:
                raise Invalid("a redaction record has exactly the members seq, eventHash, reason, basis")
            target, event_hash = record["seq"], record["eventHash"]
            if type(target) is not int or target < 2:
                raise Invalid("seq must be an integer of at least 2")
            if not isinstance(event_hash, str) or len(event_hash) != 64 or event_hash != event_hash.lower():
                raise Invalid("eventHash must be 64 lowercase hex digits")
            for name in ("reason", "basis"):
                text = record[name]
                if not isinstance(text, str) or all(c in WHITE_SPACE for c in text) or len(text.encode()) > 4096:
                    raise Invalid(f"{name} must be a non-empty string of at most 4096 bytes")
        except Invalid as error:
            self.find("redaction-invalid", seq, f"the redaction record is invalid: {error}")
            return
        if target >= seq:
            self.find("redaction-invalid", seq, f"the redaction names event {target}, which does not come before it")
            return
        if not answerable:
            return
        if target in self.redacted:
            self.find("redaction-invalid", seq, f"the payload of event {target} was already recorded as redacted")
            return
        self.redacted.add(target)
        if target not in self.walked:
            # A request bundle holds only the events it selected; this one is not among them.
            if not self.selection:
                self.find("redaction-invalid", seq, f"the redaction names event {target}, which this bundle does not hold")
            return
        digest, target_type, present = self.walked[target]
        if digest.hex() != event_hash:
            self.find("redaction-invalid", seq, f"the redaction names event {target} by a hash that is not its own")
            return
        if payload_required(target_type):
            self.find("redaction-invalid", seq, f"the redaction names a {target_type} event (seq {target}), whose payload "
                      "the rules are re-derived from: it may not be erased")
            return
        if present:
            self.find("redaction-incomplete", target, f"the redaction at seq {seq} records this payload as erased, "
                      "but it is still present")
        else:
            self.absent.discard(target)
            self.find("payload-redacted", target, f"the payload was erased by the redaction at seq {seq}")

    def finish(self):
        if self.count == 0:
            self.find("ledger-empty", None, "no events, not even a genesis event")
        for seq in sorted(self.absent):
            self.find("payload-withheld", seq, "the bundle withholds this payload and carries no redaction of it")
        self.absent = set()
        for size in sorted(self.anchors):
            for anchor in self.anchors[size]:
                if id(anchor) in self.extra and size > self.last:
                    self.check_beyond_bundle(anchor)
                else:
                    self.check_anchor(anchor, None)
        self.anchors = {}

    def check_beyond_bundle(self, anchor):
        """§Verifying a bundle: the auditor's checkpoint of more events than the bundle holds."""
        size = anchor["size"]
        if self.ledger_id is not None and anchor["ledgerId"] != self.ledger_id:
            self.find("anchor-foreign", None, f"the checkpoint of size {size} belongs to ledger {anchor['ledgerId']}")
            return
        self.find("anchor-beyond-bundle", None,
                  f"the checkpoint covers {size} events but the bundle ends at seq {self.last}: the bundle cannot show "
                  f"that its events are the first {self.last} of that checkpoint's history, since event {size}, whose "
                  f"hash the checkpoint names, is not in it")


# ---------------------------------------------------------------------------------------------
# §Evidence bundles.

LINE_MAX_BYTES = 17 << 20
LINE_MAX_DEPTH = 65
_PATH_SEGMENT = re.compile(r"[A-Za-z0-9._-]+")


def valid_bundle_path(path) -> bool:
    if not isinstance(path, str) or path == "manifest.json" or not 0 < len(path.encode()) <= 255:
        return False
    return all(_PATH_SEGMENT.fullmatch(s) and s not in (".", "..") for s in path.split("/"))


def read_manifest(data: bytes) -> dict:
    if not data.endswith(b"\n"):
        raise Invalid("manifest.json must end with one line feed")
    body = data[:-1]
    value = parse_json(body, max_bytes=1 << 20, max_depth=4)
    if jcs(value) != body:
        raise Invalid("manifest.json is not in canonical form")
    if isinstance(value, dict) and value.get("type") != "approval-ledger.bundle":
        raise Invalid("manifest type is not approval-ledger.bundle")
    check_version(value, "v", "bundle")
    f = Fields(value, "manifest", {"type", "v", "ledgerId", "size", "headHash", "files", "requests"})
    f.string("type")
    f.integer("v")
    manifest = {"ledgerId": f.token("ledgerId"), "size": f.integer("size", 1), "headHash": f.hex_bytes("headHash", 32),
                "files": []}
    entries = f.get("files")
    if not isinstance(entries, list):
        raise Invalid("manifest files must be an array")
    previous = None
    for index, entry in enumerate(entries):
        g = Fields(entry, f"manifest files[{index}]", {"path", "sha256", "bytes"})
        path = g.string("path")
        if not valid_bundle_path(path):
            raise Invalid(f"manifest files[{index}] path {path!r} is not a valid bundle path")
        if previous is not None and not previous < path.encode():
            raise Invalid("manifest files must be sorted by path without duplicates")
        previous = path.encode()
        manifest["files"].append({"path": path, "sha256": g.hex_bytes("sha256", 32), "bytes": g.integer("bytes", 0)})
    manifest["requests"] = None
    if "requests" in value:  # §Request bundles
        requests = value["requests"]
        if (not isinstance(requests, list) or not requests or not all(isinstance(r, str) and _TOKEN.fullmatch(r) for r in requests)
                or requests != sorted(requests) or len(set(requests)) != len(requests)):
            raise Invalid("manifest requests must be a sorted array of distinct request ids")
        manifest["requests"] = requests
    return manifest


def read_proof(line: bytes, what: str) -> dict:
    """§Proofs: an inclusion proof document; raises Invalid."""
    value = parse_json(line, max_bytes=64 * 1024, max_depth=3)
    check_version(value, "v", what)
    f = Fields(value, what, {"type", "v", "ledgerId", "seq", "eventHash", "leafIndex", "treeSize", "hashes", "root",
                             "checked", "failure"})
    if f.string("type") != "approval-ledger.inclusion-proof":
        raise Invalid(f"{what} is not an inclusion proof")
    f.integer("v")
    proof = {"ledgerId": f.token("ledgerId"), "seq": f.integer("seq", 1), "eventHash": f.hex_bytes("eventHash", 32),
             "leafIndex": f.integer("leafIndex", 0), "treeSize": f.integer("treeSize", 1), "root": f.hex_bytes("root", 32)}
    hashes = f.get("hashes")
    if not isinstance(hashes, list) or not all(isinstance(h, str) and re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes):
        raise Invalid(f"{what} hashes must be 64 lowercase hex digits each")
    proof["hashes"] = [bytes.fromhex(h) for h in hashes]
    if proof["leafIndex"] != proof["seq"] - 1:
        raise Invalid(f"{what} leafIndex is not seq - 1")
    return proof


def read_line(line: bytes) -> dict:
    """§JSON Lines, reading an exported line (without its LF); raises Invalid."""
    value = parse_json(line, max_bytes=LINE_MAX_BYTES, max_depth=LINE_MAX_DEPTH)
    if jcs(value) != line:
        raise Invalid("not in canonical form")
    f = Fields(value, "line", {"envelope", "hash", "payload", "seq", "signature"})
    envelope = f.get("envelope")
    if not isinstance(envelope, dict):
        raise Invalid("envelope must be an object")
    stored_hash = f.hex_bytes("hash", 32)
    payload = f.get("payload")
    if payload is not None and not isinstance(payload, dict):
        raise Invalid("payload must be an object or null")
    seq = f.integer("seq", 1)
    if not _is_integer(envelope.get("seq")) or envelope["seq"] != seq:
        raise Invalid(f"seq {seq} is not the envelope's seq")
    return {"seq": seq, "envelope": jcs(envelope), "hash": stored_hash, "signature": f.hex_bytes("signature", 64),
            "payload": None if payload is None else jcs(payload)}


def file_digest(path):
    h, length = hashlib.sha256(), 0
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
            length += len(chunk)
    return h.digest(), length


def verify_bundle(root, extra_anchors):
    report = {"path": root, "bundleFindings": [], "files": 0, "lines": 0, "absentPayloads": 0, "checkpoints": []}

    def problem(code, subject, message):
        report["bundleFindings"].append({"code": code, "severity": "error", "subject": subject, "message": message})

    # 1. Manifest.
    manifest = None
    with open(os.path.join(root, "manifest.json"), "rb") as f:
        data = f.read((1 << 20) + 2)
    try:
        manifest = read_manifest(data)
    except Invalid as error:
        problem("bundle-manifest-invalid", "manifest.json", str(error))

    # 2. Files.
    present = set()
    for directory, subdirectories, names in os.walk(root, followlinks=False):
        for name in names + [d for d in subdirectories if os.path.islink(os.path.join(directory, d))]:
            full = os.path.join(directory, name)
            relative = os.path.relpath(full, root).replace(os.sep, "/")
            mode = os.lstat(full).st_mode
            if not stat.S_ISREG(mode):
                problem("bundle-file-unlisted", relative, "not a regular file")
            elif relative != "manifest.json":
                present.add(relative)
    report["files"] = len(present)
    if manifest is not None:
        listed = {entry["path"] for entry in manifest["files"]}
        for entry in manifest["files"]:
            if entry["path"] not in present:
                problem("bundle-file-missing", entry["path"], "listed in the manifest but not in the bundle")
                continue
            digest, length = file_digest(os.path.join(root, entry["path"]))
            if digest != entry["sha256"] or length != entry["bytes"]:
                problem("bundle-file-mismatch", entry["path"], "SHA-256 or length differs from the manifest")
        for path in sorted(present - listed):
            problem("bundle-file-unlisted", path, "in the bundle but not listed in the manifest")

    # 3. Checkpoints.
    anchors = []
    for path in sorted(present):
        if path.startswith("checkpoints/") and path.endswith(".checkpoint") and "/" not in path[len("checkpoints/"):]:
            with open(os.path.join(root, path), "rb") as f:
                data = f.read(64 * 1024 + 2)
            try:
                anchors.append(read_checkpoint(data))
            except Invalid as error:
                problem("bundle-checkpoint-invalid", path, str(error))
    report["checkpoints"] = sorted(anchors, key=lambda a: a["size"])

    # 4. Events.
    if "events.jsonl" not in present:
        if not any(p["code"] == "bundle-file-missing" and p["subject"] == "events.jsonl" for p in report["bundleFindings"]):
            problem("bundle-file-missing", "events.jsonl", "the bundle has no events.jsonl")
        report["verifier"] = None
        return report
    verifier = LedgerVerifier(anchors, extra_anchors)
    verifier.selection = manifest is not None and manifest["requests"] is not None
    last_seq = 0
    with open(os.path.join(root, "events.jsonl"), "rb") as f:
        number = 0
        while True:
            raw = f.readline(LINE_MAX_BYTES + 1)
            if not raw:
                break
            number += 1
            subject = f"events.jsonl:{number}"
            if not raw.endswith(b"\n"):
                problem("bundle-line-invalid", subject, "the line does not end with a line feed, or is too long")
                if len(raw) > LINE_MAX_BYTES:
                    f.readline()  # the rest of the overlong line
                continue
            try:
                line = read_line(raw[:-1])
            except Invalid as error:
                problem("bundle-line-invalid", subject, str(error))
                continue
            if line["payload"] is None:
                report["absentPayloads"] += 1
            last_seq = line["seq"]
            verifier.walk(line["seq"], line["envelope"], line["hash"], line["payload"], line["signature"])
        report["lines"] = number
    verifier.finish()
    report["verifier"] = verifier
    if verifier.selection:
        check_proofs(root, manifest, anchors, verifier.hashes, problem)

    # 5. Head.
    if manifest is not None:
        differences = []
        if verifier.ledger_id is not None and verifier.ledger_id != manifest["ledgerId"]:
            differences.append("ledgerId")
        # A request bundle's lines are a selection: its size is its last event's seq only.
        if manifest["size"] != last_seq or (manifest["requests"] is None and manifest["size"] != report["lines"]):
            differences.append("size")
        if verifier.head != manifest["headHash"]:
            differences.append("headHash")
        if differences:
            problem("bundle-head-mismatch", "manifest.json",
                    "the manifest's " + ", ".join(differences) + " differ from the events")

    # 6. Anchored.
    end = manifest["size"] if manifest is not None else last_seq
    if not any(anchor["size"] == end for anchor in anchors):
        problem("bundle-unanchored", None, f"no valid checkpoint in the bundle covers the last event (seq {end})")
    return report


def check_proofs(root, manifest, anchors, hashes, problem):
    """§Request bundles: every event is leaf seq-1 of the tree the bundle's checkpoint note signed."""
    size = manifest["size"]
    notes = [a for a in anchors if a["form"] == "note" and a["size"] == size]
    if not notes:
        problem("bundle-proof-invalid", "proofs.jsonl", "a request bundle needs a checkpoint note of its size")
        return
    note = notes[0]
    try:
        with open(os.path.join(root, "proofs.jsonl"), "rb") as f:
            lines = f.read().split(b"\n")
    except OSError:
        problem("bundle-proof-invalid", "proofs.jsonl", "a request bundle carries proofs.jsonl")
        return
    if lines and lines[-1] == b"":
        lines.pop()
    if len(lines) != len(hashes):
        problem("bundle-proof-invalid", "proofs.jsonl", f"{len(lines)} proofs for {len(hashes)} events")
    for number, ((seq, digest), line) in enumerate(zip(hashes, lines), 1):
        subject = f"proofs.jsonl:{number}"
        try:
            proof = read_proof(line, subject)
        except Invalid as error:
            problem("bundle-proof-invalid", subject, str(error))
            continue
        if (proof["seq"] != seq or proof["eventHash"] != digest or proof["treeSize"] != size
                or proof["ledgerId"] != note["ledgerId"] or proof["root"] != note["root"]
                or not verify_inclusion(seq - 1, size, merkle_leaf(digest), proof["hashes"], note["root"])):
            problem("bundle-proof-invalid", subject, f"event {seq} is not proven in the tree the checkpoint signed")


# ---------------------------------------------------------------------------------------------
# Output.

def summarize(report, strict):
    verifier = report["verifier"]
    findings = verifier.findings if verifier else []
    failing = [f for f in findings if f["severity"] == "error" or (strict and f["severity"] == "warning")]
    verified = verifier is not None and not report["bundleFindings"] and not failing
    listed = sorted((f for f in findings if f["code"] != "payload-withheld"),
                    key=lambda f: (f["seq"] if f["seq"] is not None else float("inf"), f["code"]))
    return verified, listed


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Verify an approval-ledger evidence bundle offline (docs/FORMAT.md §Evidence bundles).")
    parser.add_argument("bundle", help="the bundle directory")
    parser.add_argument("--anchor", action="append", default=[], metavar="FILE",
                        help="a checkpoint you hold from elsewhere, to hold the bundle to (repeatable)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as failures")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    args = parser.parse_args(argv)

    if not os.path.isdir(args.bundle) or not os.path.isfile(os.path.join(args.bundle, "manifest.json")):
        sys.stderr.write(f"error: {args.bundle!r} is not an evidence bundle (a directory with a manifest.json)\n")
        return 2
    extra = []
    for path in args.anchor:
        try:
            with open(path, "rb") as f:
                extra.append(read_checkpoint(f.read(64 * 1024 + 2)))
        except (OSError, Invalid) as error:
            sys.stderr.write(f"error: checkpoint file {path!r} is invalid: {error}\n")
            return 2

    report = verify_bundle(args.bundle, extra)
    verified, listed = summarize(report, args.strict)
    verifier = report["verifier"]
    errors = len(report["bundleFindings"]) + sum(f["severity"] == "error" for f in listed)
    warnings = sum(f["severity"] == "warning" for f in listed)
    if args.format == "json":
        print(json.dumps({
            "verified": verified, "strict": args.strict,
            "summary": {
                "ledgerId": verifier.ledger_id if verifier else None, "events": verifier.count if verifier else 0,
                "headHash": verifier.head.hex() if verifier and verifier.head else None,
                "signaturesChecked": verifier.signatures if verifier else 0, "lines": report["lines"],
                "absentPayloads": report["absentPayloads"], "checkpoints": [a["size"] for a in report["checkpoints"]],
                "errors": errors, "warnings": warnings,
            },
            "findings": report["bundleFindings"] + listed[:MAX_FINDINGS_SHOWN],
        }, sort_keys=True))
    else:
        print("VERIFIED" if verified else "NOT VERIFIED")
        print(f"  bundle      {report['path']} ({report['files']} files, {report['lines']} lines)")
        print(f"  checkpoints {len(report['checkpoints'])} in the bundle"
              + (f" (size {', '.join(str(a['size']) for a in report['checkpoints'])})" if report["checkpoints"] else ""))
        print(f"  payloads    {report['absentPayloads']} absent, the rest checked against their hashes")
        if verifier:
            print(f"  ledger      {verifier.ledger_id or 'unknown'}")
            print(f"  events      {verifier.count}")
            print(f"  head hash   {verifier.head.hex() if verifier.head else 'none'}")
            print(f"  signatures  {verifier.signatures} checked")
        print(f"  findings    {errors} errors, {warnings} warnings")
        for finding in report["bundleFindings"]:
            print(f"  ERROR   {finding['code']:<34} {finding['subject'] or 'bundle'}: {finding['message']}")
        for finding in listed[:MAX_FINDINGS_SHOWN]:
            where = f"seq {finding['seq']}" if finding["seq"] is not None else "ledger"
            print(f"  {finding['severity'].upper():<7} {finding['code']:<34} {where}: {finding['message']}")
    return 0 if verified else 1


if __name__ == "__main__":
    sys.exit(main())
