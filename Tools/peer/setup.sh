#!/bin/sh
# Creates Tools/peer/.venv with the peer library ledger-bench compares against
# (Python `eventsourcing`, pinned in requirements.txt). ledger-bench uses this venv's python
# when it exists. Needs python3 with the venv module (Debian: apt-get install python3-venv).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -x "$here/.venv/bin/python" ]; then
    python3 -m venv "$here/.venv"
fi
"$here/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
"$here/.venv/bin/python" -c 'from importlib.metadata import version; print("eventsourcing", version("eventsourcing"), "ready in '"$here"'/.venv")'
