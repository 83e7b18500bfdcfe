#!/usr/bin/env python3
"""Check a cosigned transparency-log checkpoint, independently of approval-ledger's Swift code.

Written from the C2SP specifications (c2sp.org/signed-note, tlog-checkpoint and
tlog-cosignature), with nothing but the Python standard library and pyca/cryptography:

    check_cosigned_checkpoint.py NOTE --log-key VKEY --witness-key VKEY

NOTE is a checkpoint note file; --log-key is the log's verifier key (signature type 0x01,
Ed25519 over the note text); --witness-key a witness's (type 0x04, Ed25519 cosignature/v1
over "cosignature/v1", a time line and the note text). Both keys are repeatable; each must
have a valid line in the note. Prints one JSON object and exits 0 when every key verified,
1 otherwise.
"""
import argparse
import base64
import binascii
import hashlib
import json
import re
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

EM_DASH = "\u2014"


class Refused(Exception):
    pass


def b64(text):
    """Standard padded base64, refusing any other spelling of the same bytes."""
    try:
        raw = base64.b64decode(text, validate=True)
    except binascii.Error as error:
        raise Refused(f"not base64: {text!r}") from error
    if base64.b64encode(raw).decode() != text:
        raise Refused(f"not canonical base64: {text!r}")
    return raw


def parse_vkey(text, expected_type):
    parts = text.split("+", 2)
    if len(parts) != 3 or not re.fullmatch(r"[0-9a-f]{8}", parts[1]):
        raise Refused(f"not a verifier key: {text!r}")
    name, key_hash, key = parts[0], bytes.fromhex(parts[1]), b64(parts[2])
    if len(key) != 33 or key[0] != expected_type:
        raise Refused(f"{name}: expected signature type {expected_type:#04x} and a 32-byte key")
    # The key hash: first 4 bytes of SHA-256(name || LF || type || public key).
    computed = hashlib.sha256(name.encode() + b"\n" + key).digest()[:4]
    if computed != key_hash:
        raise Refused(f"{name}: key hash {key_hash.hex()} is not {computed.hex()}")
    return name, key_hash, Ed25519PublicKey.from_public_bytes(key[1:])


def parse_note(data):
    text_str = data.decode("utf-8")
    if any(ord(c) < 0x20 and c != "\n" for c in text_str):
        raise Refused("control character in the note")
    split = data.rfind(b"\n\n")
    if split < 0:
        raise Refused("no blank line before the signatures")
    text, block = data[: split + 1], data[split + 2 :]
    if not block.endswith(b"\n"):
        raise Refused("the signature block does not end in a newline")
    lines = []
    for line in block[:-1].decode().split("\n"):
        if not line.startswith(EM_DASH + " "):
            raise Refused(f"not a signature line: {line!r}")
        name, _, signature = line[2:].partition(" ")
        raw = b64(signature)
        if len(raw) < 5:
            raise Refused("a signature line is shorter than a key hash and one byte")
        lines.append((name, raw[:4], raw[4:]))
    return text, lines


def parse_checkpoint(text):
    lines = text.decode().split("\n")[:-1]
    if len(lines) < 3 or lines[0] == "":
        raise Refused("a checkpoint has an origin, a size and a root hash line")
    if not re.fullmatch(r"0|[1-9][0-9]*", lines[1]):
        raise Refused(f"size {lines[1]!r} is not decimal without leading zeros")
    root = b64(lines[2])
    if len(root) != 32:
        raise Refused("the root hash is not 32 bytes")
    return {"origin": lines[0], "size": int(lines[1]), "root": root.hex()}


def check(note_bytes, log_keys, witness_keys):
    text, lines = parse_note(note_bytes)
    result = {"checkpoint": parse_checkpoint(text), "log": [], "witnesses": []}
    for vkey in log_keys:
        name, key_hash, key = parse_vkey(vkey, 0x01)
        matching = [sig for (n, h, sig) in lines if n == name and h == key_hash]
        if not matching:
            raise Refused(f"no line of log key {name}")
        for signature in matching:
            key.verify(signature, text)  # Ed25519 over the note text alone
        result["log"].append(name)
    for vkey in witness_keys:
        name, key_hash, key = parse_vkey(vkey, 0x04)
        matching = [sig for (n, h, sig) in lines if n == name and h == key_hash]
        if not matching:
            raise Refused(f"no cosignature of witness {name}")
        for payload in matching:
            if len(payload) != 72:
                raise Refused("a cosignature/v1 is an 8-byte timestamp and a 64-byte signature")
            timestamp = int.from_bytes(payload[:8], "big")
            if timestamp >= 2**63:
                raise Refused("the timestamp exceeds 2^63-1")
            message = b"cosignature/v1\n" + b"time %d\n" % timestamp + text
            key.verify(payload[8:], message)
            result["witnesses"].append({"name": name, "timestamp": timestamp})
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("note")
    parser.add_argument("--log-key", action="append", default=[])
    parser.add_argument("--witness-key", action="append", default=[])
    args = parser.parse_args()
    with open(args.note, "rb") as handle:
        data = handle.read()
    try:
        result = check(data, args.log_key, args.witness_key)
    except (Refused, InvalidSignature, UnicodeDecodeError, ValueError) as error:
        print(json.dumps({"ok": False, "error": str(error) or type(error).__name__}))
        return 1
    result["ok"] = True
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
