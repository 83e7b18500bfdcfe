#!/usr/bin/env python3
"""Checks ledger_attack.py against docs/FORMAT.md §Worked example: the toolkit's JCS, payload
hash, event hash and signature reproduce the documented values from the published RFC 8032
test key, so the forged rows of the attack tests are what the format says, not what the
project's code happens to accept."""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ledger_attack as la  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
EXPECTED = {
    "key id": "ed25519:21fe31dfa154a261626bf854046fd227",
    "payload hash": "8db1981b2e0fedf3f97962334ea54daa6c29483804065ab38188ac71b0ef3b59",
    "event hash": "e76e9a656b20c8d3189b6b4567c872a54ed88db6e912f8ab0c09db07c5d62e79",
    "signature": "82ee1007b17a7e32091f1747fb144b5c465c9c17e43ea0081a50302f142581b5"
                 "44101d9773f9cc7acf56876ee75a00b883249ae3178ff5b2566986e8d252b907",
}


def main():
    key = la.Key(Ed25519PrivateKey.from_private_bytes(bytes.fromhex(SEED)))
    payload = {"formatVersion": 1, "ledgerId": "3f2a6c1e-8b4d-4e5f-9a7b-1c2d3e4f5a6b",
               "rootKey": {"capabilities": ["admin"], "identity": "root", "keyId": key.key_id,
                           "publicKey": key.public.hex()}}
    payload_hash = la.sha256(la.jcs(payload)).hex()
    envelope = {"v": 1, "seq": 1, "type": "ledger.genesis", "stream": "$ledger", "streamVersion": 1,
                "actor": "root", "keyId": key.key_id, "time": "2026-01-01T00:00:00.000Z",
                "prevHash": la.ZERO_HASH, "payloadHash": payload_hash}
    digest = la.event_hash(la.jcs(envelope))
    got = {"key id": key.key_id, "payload hash": payload_hash, "event hash": digest.hex(),
           "signature": key.sign(digest).hex()}
    # JCS corner cases of RFC 8785 that the payload copies rely on.
    cases = [(1e21, "1e+21"), (1e-7, "1e-7"), (0.3, "0.3"), (-0.0, "0"), (100, "100"), (5.0, "5")]
    for value, text in cases:
        got[f"number {value!r}"] = la.jcs(value).decode()
        EXPECTED[f"number {value!r}"] = text
    # Names sort by UTF-16 code units: U+1F600 (D83D DE00) before U+FB33, unlike code points.
    got["order"] = la.jcs({"b": 1, "a": [True, None], "\ufb33": "x", "\U0001F600": "y"}).decode()
    EXPECTED["order"] = '{"a":[true,null],"b":1,"\U0001F600":"y","\ufb33":"x"}'
    wrong = {name: (got[name], EXPECTED[name]) for name in EXPECTED if got[name] != EXPECTED[name]}
    for name, (value, expected) in wrong.items():
        print(f"{name}: {value} != {expected}", file=sys.stderr)
    print("ok" if not wrong else "FAILED")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
