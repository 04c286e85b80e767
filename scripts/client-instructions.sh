#!/usr/bin/env bash
# Instructions per call of each client_cpu variant, on the client thread only, counted by
# valgrind (callgrind, one output file per thread): deterministic where CPU time on this
# shared virtual machine is not. Per call = (instructions of 1,500 calls - of 500) / 1,000,
# so the runtime's start-up and the first connection cancel out.
#
# Usage: scripts/client-instructions.sh [checkout ...]   (default: this one)
set -euo pipefail
cd "$(dirname "$0")/.."
trees=("$@")
[ ${#trees[@]} -gt 0 ] || trees=("$PWD")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for tree in "${trees[@]}"; do
    bench=$(cd "$tree" && cargo bench --locked -p alibabacloud-core --bench client_cpu --no-run 2>&1 \
        | grep -o 'target/release/deps/client_cpu-[0-9a-f]*' | head -1)
    echo "## $tree"
    for variant in sdk raw raw+parse raw+headers+parse; do
        declare -A ir=()
        for calls in 500 1500; do
            rm -f "$out"/cg.*
            CLIENT_CPU_PROFILE=$calls CLIENT_CPU_VARIANT=$variant \
                valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$out/cg.%p" \
                "$tree/$bench" --bench >/dev/null 2>&1
            # Thread 1 is the main thread, where the client runs.
            ir[$calls]=$(grep -h '^summary:' "$out"/cg.*-01 | awk '{ print $2 }')
        done
        echo "$variant $(( (ir[1500] - ir[500]) / 1000 ))"
    done
done
