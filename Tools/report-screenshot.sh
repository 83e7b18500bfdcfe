#!/usr/bin/env bash
# Regenerates docs/report-screenshot.png: the HTML report of the demo ledger (`ledger export
# --format html`) as headless Chromium renders it. Fails if the page logs anything to the
# console (a script error, or a load the report's Content-Security-Policy refused: the report
# must need nothing from outside the file). The network is pointed at a closed port as well.
#
# Needs Debian's chromium (`apt-get install -y chromium`). Not part of `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null; then
    echo "error: chromium is not installed; run: apt-get install -y chromium" >&2
    exit 2
fi
swift build --product ledger >/dev/null
ledger="$(swift build --show-bin-path)/ledger"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$ledger" demo --dir "$work/demo" >/dev/null
"$ledger" --ledger "$work/demo/demo.ledger" export --format html --out "$work/report.html" >/dev/null

browse() {
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --disable-background-networking \
        --proxy-server=127.0.0.1:9 --enable-logging=stderr --v=1 "$@" "file://$work/report.html" >/dev/null 2>>"$work/chromium.log"
}
browse --window-size=1280,1200 --screenshot="$work/report.png"
# Printing opens every request's history (a beforeprint handler): check it prints cleanly too.
browse --print-to-pdf="$work/report.pdf"

if grep ":CONSOLE" "$work/chromium.log"; then
    echo "error: the report logged the messages above in Chromium" >&2
    exit 1
fi
if [ ! -s "$work/report.png" ] || [ ! -s "$work/report.pdf" ]; then
    echo "error: chromium wrote no screenshot or PDF; its log: $work/chromium.log" >&2
    trap - EXIT
    exit 1
fi
cp "$work/report.png" docs/report-screenshot.png
echo "docs/report-screenshot.png: the demo ledger's report, rendered by $(chromium --version 2>/dev/null) without errors"
