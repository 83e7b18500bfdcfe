#!/usr/bin/env python3
"""The peer of ledger-bench: the same durable per-save workload on Python's `eventsourcing`.

One aggregate per approval request; a "Requested" event when it is opened and an "Approved"
event when it is approved, each saved by its own `Application.save`, which is one SQLite
transaction committed with `synchronous=FULL` in WAL mode (the library's SQLite recorder turns
WAL on; this script sets FULL on every connection it opens and reports what the connection
used). The aggregate stays in memory between its two saves, as ours does (`ledger-bench` appends
the approval with an expected stream version instead of reading the stream back), so neither
side pays for a read.

Only the saves are timed. Prints one JSON object on stdout:
  {"library", "version", "python", "sqlite", "requests", "events", "seconds", "cpuSeconds",
   "journalMode", "synchronous"}

Usage: eventsourcing_bench.py --db PATH [--requests N]
Install the peer with Tools/peer/setup.sh (a virtualenv with eventsourcing==9.5.*).
"""

import argparse
import json
import os
import platform
import sqlite3
import sys
import time
from importlib.metadata import version


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="SQLite file to create (must not exist)")
    parser.add_argument("--requests", type=int, default=1000, help="approval requests (2 events each)")
    arguments = parser.parse_args()
    if os.path.exists(arguments.db):
        print(f"eventsourcing_bench: {arguments.db} exists; give a new path", file=sys.stderr)
        return 2

    # The recorder reads its configuration from the environment when the application starts.
    os.environ["PERSISTENCE_MODULE"] = "eventsourcing.sqlite"
    os.environ["SQLITE_DBNAME"] = arguments.db

    from eventsourcing import sqlite as es_sqlite
    from eventsourcing.application import Application
    from eventsourcing.domain import Aggregate, event

    # Durability: FULL on every connection the pool opens (the SQLite default here too, but a
    # build may default WAL databases to NORMAL; the workload must be durable on both sides).
    create_connection = es_sqlite.SQLiteConnectionPool._create_connection

    def durable_connection(pool):
        connection = create_connection(pool)
        connection._sqlite_conn.execute("PRAGMA synchronous=FULL")
        return connection

    es_sqlite.SQLiteConnectionPool._create_connection = durable_connection

    class ApprovalRequest(Aggregate):
        @event("Requested")
        def __init__(self, action, resource, environment, requester, summary, risk):
            self.action = action
            self.resource = resource
            self.environment = environment
            self.requester = requester
            self.summary = summary
            self.risk = risk
            self.approver = None

        @event("Approved")
        def approve(self, approver, reason):
            self.approver = approver
            self.reason = reason

    class Approvals(Application):
        def open(self, number):
            environments = ("production", "staging", "canary")
            request = ApprovalRequest(
                action="deploy",
                resource=f"svc-payments-{number % 40}",
                environment=environments[number % 3],
                requester="deploy-bot",
                summary=f"Roll out release 2024.06.{number % 97} to the {environments[number % 3]} fleet",
                risk=number % 10,
            )
            self.save(request)
            return request

        def approve(self, request):
            request.approve(approver="sre-oncall", reason="canary error rate flat for 30 min")
            self.save(request)

    app = Approvals()
    # Warm up the pool and the statement cache outside the timed loop.
    app.approve(app.open(-1))

    cpu_start, wall_start = time.process_time(), time.perf_counter()
    for number in range(arguments.requests):
        request = app.open(number)
        app.approve(request)
    wall = time.perf_counter() - wall_start
    cpu = time.process_time() - cpu_start

    with app.recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute("PRAGMA synchronous")
        synchronous = cursor.fetchone()[0]
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM stored_events")
        stored = cursor.fetchone()[0]
    expected = 2 * (arguments.requests + 1)
    if stored != expected:
        print(f"eventsourcing_bench: {stored} events stored, expected {expected}", file=sys.stderr)
        return 1

    print(json.dumps({
        "library": "eventsourcing",
        "version": version("eventsourcing"),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "requests": arguments.requests,
        "events": 2 * arguments.requests,
        "seconds": wall,
        "cpuSeconds": cpu,
        "journalMode": journal_mode,
        "synchronous": {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(synchronous, str(synchronous)),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
