#!/usr/bin/env bash
# `cargo xtask import` followed by `cargo xtask codegen` gives crates that compile, on
# metadata nobody tuned the generator for: Elastic Compute Service 2014-05-26 (379
# operations, ../shared/stress-meta) and the hostile fixture (every name class, type,
# position, style and quirk: tests/fixtures/hostile/api-docs.json). Both are imported and
# generated into a scratch workspace outside the SDK (target/scratch-import, which uses this
# SDK's runtime by path) and checked there with clippy, warnings denied. The import must
# refuse exactly what the hostile fixture holds that the SDK cannot carry, and nothing of
# ECS. Prints the time each step took.
#
# Usage: scripts/check-import.sh [api-docs.json ...]   (default: ECS and the hostile fixture)
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/scratch-import
ecs=../shared/stress-meta/ecs/2014-05-26/api-docs.json
hostile=tests/fixtures/hostile/api-docs.json
if [ $# -gt 0 ]; then inputs=("$@"); else inputs=("$ecs" "$hostile"); fi

rm -rf "$out/specs" "$out/crates"
cargo build --quiet --locked -p xtask
millis() { echo $(($(date +%s%N) / 1000000)); }
start=$(millis)
report=$(target/debug/xtask scratch --out "$out" "${inputs[@]}")
echo "$report"
echo "import and codegen: $(($(millis) - start)) ms"

if [ $# -eq 0 ]; then
    # What the import refuses is exactly the hostile fixture's three; it skips its ROA
    # operation; ECS loses nothing.
    refused=$(grep -c '^  refused: ' <<<"$report" || true)
    skipped=$(grep -c '^  skipped: ' <<<"$report" || true)
    if [ "$refused" != 3 ] || [ "$skipped" != 1 ] || grep -q 'specs/ecs/' <<<"$(grep -E '^  (refused|skipped): ' <<<"$report")"; then
        echo "expected 3 refused and 1 skipped, all from the hostile fixture" >&2
        exit 1
    fi
    grep -q '^ecs/2014-05-26 *379 added' <<<"$report" || {
        echo "expected all 379 ECS operations" >&2
        exit 1
    }
fi

# Its own target directory: the scratch crates' dependencies are resolved with other
# features than the SDK's, so sharing target/ would rebuild them there anyway.
start=$(millis)
CARGO_TARGET_DIR="$out/target" cargo clippy --offline --quiet \
    --manifest-path "$out/Cargo.toml" --workspace -- -D warnings
echo "cargo clippy of the scratch workspace: $(($(millis) - start)) ms"
