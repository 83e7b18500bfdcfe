#!/usr/bin/env bash
# Installs the system libraries approval-ledger links against, if any is missing:
# OpenSSL libcrypto (libssl-dev), SQLite (libsqlite3-dev) and pkg-config, from Debian/Ubuntu apt,
# and faketime, with which the tests let time pass for the `ledger` binary (the ledger refuses to
# date an event ahead of its host's clock, so a scenario cannot just ask for a later time), and
# PostgreSQL (`postgresql`): the PostgreSQL backend's tests start a throwaway cluster of their own
# with its initdb, as the `postgres` user when run as root (docs/STORAGE.md).
# Safe to run repeatedly: it installs nothing when everything is present.
# With arguments, it installs the missing of those Debian packages instead (install-test-deps.sh).
set -euo pipefail

packages=(libssl-dev libsqlite3-dev pkg-config openssl faketime postgresql)
[ $# -gt 0 ] && packages=("$@")
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing missing system packages: ${missing[*]}" >&2
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
