#!/usr/bin/env bash
# Installs what only the tests need, if any is missing: headless Chromium and its WebDriver
# (the dashboard pages are loaded in a real browser), Prometheus with promtool (the scrape,
# the alert rules and every Grafana query are run against a real Prometheus), from Debian apt,
# and PyPI's selenium, which drives Chromium. Safe to run repeatedly.
set -euo pipefail

packages=(chromium chromium-driver prometheus)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing missing test packages: ${missing[*]}" >&2
    if [ "$(id -u)" -eq 0 ]; then
        sudo=""
    elif command -v sudo >/dev/null 2>&1; then
        sudo="sudo"
    else
        echo "error: run as root, or install them yourself: apt-get install ${missing[*]}" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if ! python3 -c 'import selenium' 2>/dev/null; then
    python3 -m pip install --quiet selenium 2>/dev/null || python3 -m pip install --quiet --break-system-packages selenium
fi
