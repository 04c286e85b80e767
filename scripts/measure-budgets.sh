#!/usr/bin/env bash
# Measures the generated-code budgets of the whole-product import (docs/benchmarks.md),
# before (a baseline commit, default a02df9d: six operations) and after (the work tree),
# in one run on this machine. Cold builds use target directories of their own under
# target/budgets/, so nothing else is disturbed. Takes about 10 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-a02df9d}
out=target/budgets
mkdir -p "$out"
rm -rf "$out/base-src" "$out/base-target" "$out/head-target"
git worktree remove --force "$out/base-src" 2>/dev/null || true
git worktree add --detach "$out/base-src" "$base" >/dev/null

seconds() { /usr/bin/time -f %e "$@" 2>&1 >/dev/null | tail -1; }

echo "## lines of the six seed operations' modules"
for f in crates/alibabacloud-cas-20200407/src/list_user_certificate_order.rs \
         crates/alibabacloud-cas-20200407/src/list_deployment_job_cert.rs \
         crates/alibabacloud-bssopenapi-20171214/src/query_orders.rs \
         crates/alibabacloud-bssopenapi-20171214/src/describe_order_list.rs \
         crates/alibabacloud-cas-20180713/src/describe_order_instance_list.rs \
         crates/alibabacloud-cas-20180713/src/describe_dv_order_result.rs; do
  echo "$(basename "$f") $(wc -l < "$out/base-src/$f") $(wc -l < "$f")"
done

echo "## cold cargo build --release -p alibabacloud-cas-20200407 (seconds)"
echo "before $(cd "$out/base-src" && CARGO_TARGET_DIR="$PWD/../base-target" seconds cargo build --release --locked -p alibabacloud-cas-20200407)"
echo "after  $(CARGO_TARGET_DIR="$out/head-target" seconds cargo build --release --locked -p alibabacloud-cas-20200407)"

echo "## peak memory of the BssOpenApi build (max RSS of any process, KiB)"
touch crates/alibabacloud-bssopenapi-20171214/src/lib.rs
CARGO_TARGET_DIR="$out/head-target" /usr/bin/time -f "after %M" cargo build --release --locked -p alibabacloud-bssopenapi-20171214 2>&1 >/dev/null | tail -1

echo "## cargo check after one spec changes (seconds)"
cargo build --quiet -p xtask
spec=specs/cas/2020-04-07/UploadUserCertificate.yaml
cp "$spec" "$out/spec.bak"
CARGO_TARGET_DIR="$out/head-target" cargo check --quiet --locked -p alibabacloud-cas-20200407
sed -i 's/^summary: /summary: Changed. /' "$spec"
target/debug/xtask codegen >/dev/null
echo "after $(CARGO_TARGET_DIR="$out/head-target" seconds cargo check --locked -p alibabacloud-cas-20200407)"
cp "$out/spec.bak" "$spec"
target/debug/xtask codegen >/dev/null

echo "## cargo xtask codegen over everything (seconds, the generator binary alone)"
echo "after $(seconds target/debug/xtask codegen)"

git worktree remove --force "$out/base-src"
