#!/usr/bin/env bash
# Measures the third wave's generator and build budgets (docs/benchmarks.md) in one run on
# this machine: "before" is a baseline commit (default 9ee4b66, the start of the wave: 186
# operations) built in a worktree of its own, "after" is the work tree (296 operations).
# Cold builds use empty target directories under target/budgets3/, so nothing else is
# disturbed. Takes about 20 minutes on 2 cores; run it on a quiet machine.
#
# Usage: scripts/measure-wave3.sh [baseline-commit]
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-9ee4b66}
out=$PWD/target/budgets3
ecs=../shared/stress-meta/ecs/2014-05-26/api-docs.json
mkdir -p "$out"
git worktree remove --force "$out/base-src" 2>/dev/null || true
rm -rf "$out/base-src" "$out/base-target" "$out/head-target" "$out/scratch"
git worktree add --detach "$out/base-src" "$base" >/dev/null

# Wall seconds of a command; its output is dropped.
seconds() { /usr/bin/time -f %e "$@" 2>&1 >/dev/null | tail -1; }
# "<wall seconds> <peak RSS of any process, MiB>" of a command.
seconds_and_peak() {
    /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1 | awk '{ printf "%s %.0f\n", $1, $2 / 1024 }'
}
# The best of three runs of a command, in seconds.
best_of_3() {
    local best=""
    for _ in 1 2 3; do
        local t
        t=$(seconds "$@")
        if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then best=$t; fi
    done
    echo "$best"
}

echo "## cargo xtask codegen over every product version (generator binary alone, best of 3, s)"
(cd "$out/base-src" && CARGO_TARGET_DIR="$out/base-target" cargo build --quiet --locked -p xtask)
cargo build --quiet --locked -p xtask
echo "before $(cd "$out/base-src" && best_of_3 "$out/base-target/debug/xtask" codegen)"
echo "after  $(best_of_3 target/debug/xtask codegen)"

echo "## scratch import and codegen of ECS, 379 operations (s)"
echo "after  $(best_of_3 target/debug/xtask scratch --out "$out/scratch" "$ecs")"

echo "## cold cargo check of the ECS crate (s, peak MiB of any process)"
CARGO_TARGET_DIR="$out/scratch/target" cargo fetch --quiet --manifest-path "$out/scratch/Cargo.toml" 2>/dev/null || true
echo "after  $(CARGO_TARGET_DIR="$out/scratch/target" seconds_and_peak cargo check --offline \
    --manifest-path "$out/scratch/Cargo.toml" -p alibabacloud-ecs-20140526)"

echo "## cold cargo build --release -p alibabacloud-cli (s, peak MiB of any process)"
echo "before $(cd "$out/base-src" && CARGO_TARGET_DIR="$out/base-target" seconds_and_peak cargo build --release --locked -p alibabacloud-cli)"
echo "after  $(CARGO_TARGET_DIR="$out/head-target" seconds_and_peak cargo build --release --locked -p alibabacloud-cli)"

echo "## stripped alicloud binary (bytes, operations)"
for side in base head; do
    strip -o "$out/alicloud-$side" "$out/$side-target/release/alicloud"
done
before_ops=$(cd "$out/base-src" && grep -c '^action:' specs/*/*/*.yaml | awk -F: '{ s += $2 } END { print s }')
after_ops=$(grep -c '^action:' specs/*/*/*.yaml | awk -F: '{ s += $2 } END { print s }')
echo "before $(stat -c %s "$out/alicloud-base") $before_ops"
echo "after  $(stat -c %s "$out/alicloud-head") $after_ops"

git worktree remove --force "$out/base-src"
