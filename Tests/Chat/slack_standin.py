#!/usr/bin/env python3
"""A local stand-in for Slack's Web API, for the Slack gateway's end-to-end tests.

Serves POST /api/<method> (chat.postMessage, chat.update, chat.postEphemeral, views.open) and
POST /response/<anything> (an interaction's response_url), on 127.0.0.1 and a free port that it
prints as its first line of stdout. Every call is appended to the --record file as one JSON
line: {"method", "token", "body", "ok", "error"}. Answers as Slack does: a wrong bot token is
{"ok": false, "error": "invalid_auth"}; every Block Kit payload (a message's blocks, a view) is
parsed with slack_sdk's own models (Block.parse, View) and validated (validate_json), and one
that does not parse, fails validation or loses members in the round trip is
{"ok": false, "error": "invalid_blocks"}, recorded with the reason.
"""
import argparse
import itertools
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View


def same(sent, parsed, path="$"):
    """The reason `sent` and slack_sdk's to_dict() of it differ, or None."""
    if isinstance(sent, dict):
        if not isinstance(parsed, dict):
            return f"{path} is not an object after parsing"
        for key, value in sent.items():
            if key not in parsed:
                return f"{path}.{key} is not a member slack_sdk knows"
            reason = same(value, parsed[key], f"{path}.{key}")
            if reason:
                return reason
        return None
    if isinstance(sent, list):
        if not isinstance(parsed, list) or len(sent) != len(parsed):
            return f"{path} lost elements"
        for index, (a, b) in enumerate(zip(sent, parsed)):
            reason = same(a, b, f"{path}[{index}]")
            if reason:
                return reason
        return None
    return None if sent == parsed else f"{path}: {sent!r} became {parsed!r}"


def check_blocks(blocks):
    if not isinstance(blocks, list) or not blocks:
        return "blocks must be a non-empty list"
    for index, raw in enumerate(blocks):
        try:
            block = Block.parse(raw)
            if block is None:
                return f"blocks[{index}]: unknown block type {raw.get('type')!r}"
            block.validate_json()
        except Exception as error:  # slack_sdk raises SlackObjectFormationError and friends
            return f"blocks[{index}]: {error}"
        reason = same(raw, block.to_dict(), f"blocks[{index}]")
        if reason:
            return reason
    return None


def check_view(raw):
    try:
        view = View(**raw)
        view.validate_json()
    except Exception as error:
        return f"view: {error}"
    return check_blocks(raw.get("blocks")) or same(raw, view.to_dict(), "view")


class StandIn(BaseHTTPRequestHandler):
    token = ""
    record = ""
    lock = threading.Lock()
    ts = itertools.count(1)

    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def write_record(self, entry):
        with self.lock:
            with open(self.record, "a") as out:
                out.write(json.dumps(entry, sort_keys=True) + "\n")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {"unparsed": raw.decode("utf-8", "replace")}
        token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
        if self.path.startswith("/response/"):
            self.write_record({"method": "response_url", "path": self.path, "token": token, "body": body, "ok": True, "error": None})
            return self.answer(200, {"ok": True})
        method = self.path.removeprefix("/api/")
        error = None
        reason = None
        if token != self.token:
            error = "invalid_auth"
        elif method in ("chat.postMessage", "chat.update"):
            if "blocks" in body:
                reason = check_blocks(body["blocks"])
            if not body.get("channel"):
                error = "channel_not_found"
        elif method == "views.open":
            reason = check_view(body.get("view") or {})
            if not body.get("trigger_id"):
                error = "invalid_trigger_id"
        elif method == "chat.postEphemeral":
            if not body.get("user"):
                error = "user_not_in_channel"
        else:
            error = "unknown_method"
        if reason:
            error = "invalid_blocks"
        self.write_record({"method": method, "token": token, "body": body, "ok": error is None, "error": error, "reason": reason})
        if error:
            return self.answer(200, {"ok": False, "error": error})
        if method == "chat.postMessage":
            return self.answer(200, {"ok": True, "channel": body["channel"], "ts": f"1700000000.{next(self.ts):06d}"})
        if method == "chat.update":
            return self.answer(200, {"ok": True, "channel": body["channel"], "ts": body.get("ts")})
        if method == "chat.postEphemeral":
            return self.answer(200, {"ok": True, "message_ts": f"1700000000.{next(self.ts):06d}"})
        return self.answer(200, {"ok": True, "view": {"id": "V0STANDIN"}})


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--token", help="the bot token the calls must carry")
    parser.add_argument("--record", help="file the calls are appended to, one JSON line each")
    parser.add_argument("--check", action="store_true", help="check the {blocks} or {view} JSON on stdin and exit (1: it does not parse)")
    arguments = parser.parse_args()
    if arguments.check:
        payload = json.load(sys.stdin)
        reason = check_view(payload["view"]) if "view" in payload else check_blocks(payload.get("blocks"))
        print(reason or "ok")
        return 1 if reason else 0
    if not arguments.token or not arguments.record:
        parser.error("--token and --record are required to serve")
    StandIn.token = arguments.token
    StandIn.record = arguments.record
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
