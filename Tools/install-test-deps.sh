#!/usr/bin/env bash
# Installs what only the tests need, if any is missing: headless Chromium and its WebDriver
# (the dashboard pages are loaded in a real browser), Prometheus with promtool (the scrape,
# the alert rules and every Grafana query are run against a real Prometheus), from Debian apt,
# and the PyPI packages below. Safe to run repeatedly.
set -euo pipefail

bash "$(dirname "$0")/install-system-deps.sh" chromium chromium-driver prometheus

# PyPI's clients and verifiers the tests hold the project to, each installed when missing:
# `cryptography` (Tools/verify_bundle.py, the independent bundle verifier), Schemathesis (run
# against the live `ledger serve` from docs/openapi.yaml), http-message-signatures (the Python
# example client, docs/examples/, signs with it), selenium (drives Chromium) and standardwebhooks
# (the webhook receiver of the end-to-end tests, Tests/Chat/webhook_receiver.py, verifies every
# delivery with it).
pip_install() {
    python3 -m pip install --quiet "$1" 2>/dev/null || python3 -m pip install --quiet --break-system-packages "$1"
}
python3 -c 'import cryptography' 2>/dev/null || pip_install cryptography
command -v schemathesis >/dev/null 2>&1 || pip_install schemathesis
python3 -c 'import http_message_signatures' 2>/dev/null || pip_install "http-message-signatures==3.0.0"
python3 -c 'import selenium' 2>/dev/null || pip_install selenium
python3 -c 'import standardwebhooks' 2>/dev/null || pip_install standardwebhooks
# slack_sdk: the Slack Web API stand-in (Tests/Chat/slack_standin.py) parses every Block Kit
# payload with its models, and the Slack tests sign requests with its signature code.
python3 -c 'import slack_sdk' 2>/dev/null || pip_install slack_sdk
