#!/usr/bin/env bash
# Builds one libFuzzer target and runs it for a given time.
#
#   Tools/fuzz/run.sh TARGET SECONDS [extra libFuzzer flags...]
#   Tools/fuzz/run.sh json 600
#   Tools/fuzz/run.sh policy 600
#   Tools/fuzz/run.sh checkpoint 600
#   Tools/fuzz/run.sh bundle 600
#   Tools/fuzz/run.sh payload 600
#   Tools/fuzz/run.sh all 600          # each target in turn, one at a time
#
# The package's modules are built by SwiftPM with coverage instrumentation and AddressSanitizer
# (`--sanitize fuzzer --sanitize address`, build path .build-fuzz), then the target in
# Tools/fuzz/Targets/ is compiled against them with `swiftc -sanitize=fuzzer,address`, which
# links libFuzzer from the toolchain's clang runtime. Inputs found to be new are kept in
# .build-fuzz/corpus/TARGET (not in git); the seed corpus in Tools/fuzz/corpus/TARGET is only
# read. A crashing input is written to .build-fuzz/artifacts/ and the script exits non-zero:
# fix the bug, then add the input to the seed corpus and a unit test. Results: docs/SECURITY.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

usage() { echo "usage: $0 json|policy|checkpoint|bundle|payload|all SECONDS [libFuzzer flags...]" >&2; exit 64; }
[ $# -ge 2 ] || usage
target=$1 seconds=$2
shift 2
[[ $seconds =~ ^[0-9]+$ ]] || usage

if [ "$target" = all ]; then
    for each in json policy checkpoint bundle payload; do "$0" "$each" "$seconds" "$@"; done
    exit 0
fi

# TARGET -> the module it needs, the package targets to link (dependencies first), the Swift
# file, the largest input worth trying.
format="LedgerCrypto LedgerFormat"
domain="$format CYaml Yams LedgerDomain"
case $target in
    json) module=LedgerFormat link=$format source=JSONParserFuzz.swift max_len=8192 ;;
    policy) module=LedgerDomain link=$domain source=PolicyFuzz.swift max_len=8192 ;;
    checkpoint) module=LedgerFormat link=$format source=CheckpointFuzz.swift max_len=2048 ;;
    payload) module=LedgerDomain link=$domain source=RequestPayloadFuzz.swift max_len=8192 ;;
    bundle)
        module=LedgerExport source=BundleFuzz.swift max_len=16384
        link="$domain LedgerMigrations GRDB LedgerStore LedgerVerify LedgerExport" ;;
    *) usage ;;
esac

build=.build-fuzz
products=$build/release
swift build -c release --build-path "$build" --sanitize fuzzer --sanitize address --target "$module" \
    -Xswiftc -sanitize=fuzzer -Xcc -fsanitize=fuzzer-no-link >&2

# The objects of the targets to link. For a Swift target, one object per source SwiftPM lists
# in its `sources` file, so the object of a since-deleted file is never linked; the C target
# (libyaml) has no such list and never changes.
objects=()
for dependency in $link; do
    directory=$products/$dependency.build
    if [ -f "$directory/sources" ]; then
        while IFS= read -r file; do objects+=("$directory/$(basename "$file").o"); done < "$directory/sources"
    else
        while IFS= read -r -d '' object; do objects+=("$object"); done < <(find "$directory" -name '*.o' -print0)
    fi
done

binary=$build/fuzz-$target
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name "Fuzz_$target" \
    -I "$products/Modules" -Xcc -fmodule-map-file=Sources/CLibCrypto/module.modulemap \
    -Xcc -fmodule-map-file="$build/checkouts/Yams/Sources/CYaml/include/module.modulemap" \
    -Xcc -fmodule-map-file="$build/checkouts/GRDB.swift/Sources/GRDBSQLite/module.modulemap" \
    "Tools/fuzz/Targets/$source" "${objects[@]}" \
    $(pkg-config --libs libcrypto sqlite3) -o "$binary"

corpus=$build/corpus/$target
artifacts=$build/artifacts
mkdir -p "$corpus" "$artifacts"
# Leak detection is off: the Swift runtime keeps metadata caches for the life of the process.
# Swift's own backtracer is off: it would fight AddressSanitizer over the crash.
SWIFT_BACKTRACE=enable=no "$binary" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -detect_leaks=0 -print_final_stats=1 -artifact_prefix="$artifacts/$target-" \
    "$@" "$corpus" "Tools/fuzz/corpus/$target"
