#!/usr/bin/env python3
"""An example client of `ledger serve` in Python: standard library, plus PyPI's
`http-message-signatures` (RFC 9421) and `cryptography` (Ed25519).

It registers nothing: an admin registers your key in the ledger (`ledger key register`) and
runs the server. Every HTTP request is signed with your key (RFC 9421, alg ed25519, covering
@method, @target-uri and, with a body, content-digest and content-type; Content-Digest per
RFC 9530, sha-256), and every write carries the signed command statement the ledger records
as the event's origin, so the vote is provably yours although the server appended it
(docs/FORMAT.md, docs/SERVER.md).

    ledger_client.py --server http://127.0.0.1:8480 --key ci.pem open \\
        --action deploy.promote --resource svc/checkout --env prod --summary "canary to 100%"
    ledger_client.py --server http://127.0.0.1:8480 --key alice.pem vote REQUEST_ID approve --reason lgtm
    ledger_client.py --server http://127.0.0.1:8480 --key ci.pem wait REQUEST_ID --timeout 300

Each prints the request as the server answers it, one JSON object on stdout. Exit status: 0
success (for `wait`, granted), 1 a wait that ended undecided or denied, 2 a problem answer
(its `code` on stderr).
"""

import argparse
import datetime
import hashlib
import json
import math
import secrets
import sys
import urllib.error
import urllib.parse
import urllib.request

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from http_message_signatures import HTTPMessageSigner, HTTPSignatureKeyResolver, algorithms

COMMAND_DOMAIN = b"approval-ledger/command/v1"


# --- RFC 8785 canonical JSON (docs/FORMAT.md, "Appendix: JCS in Python") --------------------

def _number(x) -> str:
    x = float(x)
    if not math.isfinite(x): raise ValueError("NaN and Infinity are not JSON")
    if x == 0: return "0"
    mantissa, _, exponent = repr(abs(x)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    all_digits = whole + fraction
    digits = all_digits.lstrip("0")
    n = len(whole) + int(exponent or 0) - (len(all_digits) - len(digits))
    digits = digits.rstrip("0")
    k = len(digits)
    if k <= n <= 21:    text = digits + "0" * (n - k)
    elif 0 < n <= 21:   text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:   text = "0." + "0" * -n + digits
    else:
        e = n - 1
        text = digits[0] + ("." + digits[1:] if k > 1 else "") + ("e+" if e >= 0 else "e-") + str(abs(e))
    return ("-" if x < 0 else "") + text

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}

def _string(s: str) -> str:
    return '"' + "".join(_ESCAPES.get(c) or (f"\\u{ord(c):04x}" if ord(c) < 0x20 else c) for c in s) + '"'

def _text(v) -> str:
    if v is None: return "null"
    if v is True: return "true"
    if v is False: return "false"
    if isinstance(v, (int, float)): return _number(v)
    if isinstance(v, str): return _string(v)
    if isinstance(v, list): return "[" + ",".join(_text(e) for e in v) + "]"
    names = sorted(v, key=lambda name: name.encode("utf-16-be"))   # UTF-16 code unit order
    return "{" + ",".join(_string(name) + ":" + _text(v[name]) for name in names) + "}"

def jcs(value) -> bytes:
    return _text(value).encode("utf-8")


# --- HTTP with message signatures -------------------------------------------------------------

class Problem(Exception):
    """An RFC 9457 problem answer: `code` is the ledger's stable error code."""

    def __init__(self, status, document):
        self.status = status
        self.code = document.get("code", f"http-{status}")
        self.detail = document.get("detail", "")
        super().__init__(f"{status} {self.code}: {self.detail}")


class _Message:
    """The request as http-message-signatures reads and signs it: method, URL, headers."""

    def __init__(self, method, url, headers):
        self.method, self.url, self.headers = method, url, headers


class _OneKey(HTTPSignatureKeyResolver):
    def __init__(self, key):
        self.key = key

    def resolve_private_key(self, key_id):
        return self.key

    def resolve_public_key(self, key_id):
        return self.key.public_key()


def key_id(public_key) -> str:
    """The ledger's key id: `ed25519:` and the first 16 bytes of SHA-256(raw key) in hex."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "ed25519:" + hashlib.sha256(raw).digest()[:16].hex()


def now_text() -> str:
    """The ledger's time format: UTC, milliseconds, `Z`."""
    now = datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


class LedgerClient:
    def __init__(self, server, key_path):
        self.server = server.rstrip("/")
        with open(key_path, "rb") as handle:
            self.key = serialization.load_pem_private_key(handle.read(), password=None)
        if not isinstance(self.key, ed25519.Ed25519PrivateKey):
            raise SystemExit(f"{key_path} is not an Ed25519 private key")
        self.key_id = key_id(self.key.public_key())
        self.signer = HTTPMessageSigner(signature_algorithm=algorithms.ED25519, key_resolver=_OneKey(self.key))
        self._ledger_id = None

    def request(self, method, target, body=None, timeout=60):
        """Sends one signed request; answers the parsed JSON, or raises `Problem`."""
        url = self.server + target
        headers = {"Accept": "application/json, application/problem+json"}
        data = None
        covered = ["@method", "@target-uri"]
        if body is not None:
            data = jcs(body)
            headers["Content-Type"] = "application/json"
            covered += ["content-digest", "content-type"]
        message = _Message(method, url, headers)
        self.signer.sign(
            message, key_id=self.key_id, nonce=secrets.token_hex(16), covered_component_ids=covered,
            body=data, label="sig1")
        http_request = urllib.request.Request(url, data=data, method=method, headers=message.headers)
        try:
            with urllib.request.urlopen(http_request, timeout=timeout) as response:
                payload = response.read()
                return json.loads(payload) if payload.strip()[:1] in (b"{", b"[") else payload
        except urllib.error.HTTPError as error:
            document = error.read()
            try:
                raise Problem(error.code, json.loads(document)) from None
            except ValueError:
                raise Problem(error.code, {"detail": document.decode("utf-8", "replace")}) from None

    def ledger_id(self):
        """The ledger's id, from its genesis event (seq 1)."""
        if self._ledger_id is None:
            first = self.request("GET", "/v1/events?from=1&limit=1")
            line = json.loads(first.splitlines()[0]) if isinstance(first, bytes) else first
            self._ledger_id = line["payload"]["ledgerId"]
        return self._ledger_id

    def signed(self, command, stream, args):
        """The `signed` member: Ed25519 over SHA-256(domain ‖ LF ‖ canonical statement)."""
        nonce, time = secrets.token_hex(16), now_text()
        statement = {
            "args": args, "command": command, "keyId": self.key_id, "ledgerId": self.ledger_id(),
            "nonce": nonce, "stream": stream, "time": time, "v": 1,
        }
        digest = hashlib.sha256(COMMAND_DOMAIN + b"\n" + jcs(statement)).digest()
        return {"nonce": nonce, "time": time, "signature": self.key.sign(digest).hex()}

    def open(self, request_id, action, resource, environment, summary, links=(), risk_inputs=None):
        args = {
            "action": action, "resource": resource, "environment": environment, "summary": summary,
            "links": list(links), "riskInputs": dict(risk_inputs or {}),
        }
        body = dict(args, id=request_id, signed=self.signed("open", request_id, args))
        return self.request("POST", "/v1/requests", body)

    def vote(self, request_id, decision, reason=""):
        # A signed vote names the request version it judged, so the signature covers what was approved.
        shown = self.request("GET", f"/v1/requests/{urllib.parse.quote(request_id, safe='')}")
        args = {"decision": decision, "reason": reason, "requestVersion": shown["version"]}
        body = dict(args, signed=self.signed("vote", request_id, args))
        return self.request("POST", f"/v1/requests/{urllib.parse.quote(request_id, safe='')}/votes", body)

    def wait(self, request_id, timeout_seconds):
        """Long-polls until the request is decided, its deadline passes, or the timeout."""
        deadline = datetime.datetime.now() + datetime.timedelta(seconds=timeout_seconds)
        while True:
            left = max(1, min(30, math.ceil((deadline - datetime.datetime.now()).total_seconds())))
            state = self.request("GET", f"/v1/requests/{urllib.parse.quote(request_id, safe='')}/wait?timeout={left}s", timeout=left + 30)
            if state.get("wait") != "timed-out" or datetime.datetime.now() >= deadline:
                return state


def main(argv=None):
    parser = argparse.ArgumentParser(description="An example client of `ledger serve`.")
    parser.add_argument("--server", required=True, help="the server's base URL, e.g. http://127.0.0.1:8480")
    parser.add_argument("--key", required=True, help="your Ed25519 private key (PEM PKCS#8), registered in the ledger")
    commands = parser.add_subparsers(dest="command", required=True)
    open_parser = commands.add_parser("open", help="open an approval request")
    open_parser.add_argument("--id", default=None, help="the request id (default: a random req-…)")
    open_parser.add_argument("--action", required=True)
    open_parser.add_argument("--resource", required=True)
    open_parser.add_argument("--env", required=True)
    open_parser.add_argument("--summary", required=True)
    open_parser.add_argument("--link", action="append", default=[])
    open_parser.add_argument("--risk", action="append", default=[], help="FACTOR=VALUE")
    vote_parser = commands.add_parser("vote", help="approve or deny a request")
    vote_parser.add_argument("id")
    vote_parser.add_argument("decision", choices=["approve", "deny"])
    vote_parser.add_argument("--reason", default="")
    wait_parser = commands.add_parser("wait", help="wait for a request's decision")
    wait_parser.add_argument("id")
    wait_parser.add_argument("--timeout", type=float, default=3600, help="seconds")
    options = parser.parse_args(argv)

    client = LedgerClient(options.server, options.key)
    try:
        if options.command == "open":
            risk = dict(pair.split("=", 1) for pair in options.risk)
            result = client.open(
                options.id or "req-" + secrets.token_hex(5), options.action, options.resource, options.env,
                options.summary, options.link, risk)
        elif options.command == "vote":
            result = client.vote(options.id, options.decision, options.reason)
        else:
            result = client.wait(options.id, options.timeout)
    except Problem as problem:
        print(f"error: {problem.detail} [{problem.code}]", file=sys.stderr)
        return 2
    sys.stdout.write(jcs(result).decode("utf-8") + "\n")
    if options.command == "wait":
        return 0 if result.get("status") in ("granted", "bypassed") else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
