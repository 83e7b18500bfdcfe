#!/usr/bin/env python3
"""A webhook receiver for the end-to-end tests of `ledger serve --webhooks`.

Every POST is verified with PyPI's `standardwebhooks` (the Standard Webhooks reference
library), never with the project's own code: a delivery that does not verify is answered 401
and recorded as a failure. Each verified one is recorded, one JSON line per attempt, to
--record: webhook-id, the event's type and seq, the path, the status answered and the
receiver's clock. It answers --status (200 by default; 500 makes a receiver that fails for
ever). Prints `listening on PORT` once it accepts connections.
"""
import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--secret-file", required=True)
    parser.add_argument("--record", required=True)
    parser.add_argument("--status", type=int, default=200)
    args = parser.parse_args()
    with open(args.secret_file) as f:
        webhook = Webhook(f.read().strip())
    lock = threading.Lock()

    def record(entry):
        with lock, open(args.record, "a") as f:
            f.write(json.dumps(entry, sort_keys=True) + "\n")
            f.flush()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                payload = webhook.verify(body, headers)
            except Exception as error:  # any failure to verify is the receiver's 401
                record({"verified": False, "error": repr(error), "id": headers.get("webhook-id"),
                        "path": self.path, "at": time.time()})
                self.answer(401)
                return
            data = payload.get("data", {})
            record({"verified": True, "id": headers["webhook-id"], "timestamp": int(headers["webhook-timestamp"]),
                    "type": payload.get("type"), "seq": data.get("seq"), "stream": data.get("stream"),
                    "hash": data.get("hash"), "eventHash": (data.get("event") or {}).get("hash"),
                    "path": self.path, "status": args.status, "at": time.time()})
            self.answer(args.status)

        def answer(self, status):
            body = b"{}"
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *arguments):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"listening on {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
