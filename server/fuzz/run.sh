#!/usr/bin/env bash
# Runs every libFuzzer target built in server/build-fuzz for SECONDS each, starting from its
# corpus in server/fuzz/corpus/<target>/ (kept in the repository).
#   server/fuzz/run.sh SECONDS          smoke run (`make test-fuzz`): the repository corpus is
#                                       only read; new inputs go to a temporary folder.
#   FUZZ_MERGE=1 server/fuzz/run.sh S   long run (`make fuzz-long`): afterwards, inputs that add
#                                       coverage are merged into the repository corpus
#                                       (`-merge=1`), ready to commit.
# FUZZ_JOBS targets run side by side (default: the number of cores). Exits non-zero if any
# target crashed, leaked or timed out; the reproducer is kept in server/build-fuzz/artifacts/.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_EACH=${1:?usage: run.sh SECONDS}
BUILD=${FUZZ_BUILD:-$ROOT/server/build-fuzz}
JOBS=${FUZZ_JOBS:-$(nproc)}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$BUILD/artifacts"

one() { # target → prints one summary line, status in $TMP/<name>.rc
    local bin=$1 name
    name=$(basename "$bin")
    local corpus=$ROOT/server/fuzz/corpus/$name new=$TMP/$name.new log=$TMP/$name.log rc=0
    mkdir -p "$corpus" "$new"
    # First folder: where libFuzzer writes new inputs; the repository corpus is read only.
    "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$BUILD/artifacts/$name-" "$new" "$corpus" >"$log" 2>&1 || rc=$?
    local runs cov
    runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | awk '{print $2}')
    local added=0
    if [ "$rc" = 0 ] && [ "${FUZZ_MERGE:-0}" = 1 ]; then
        local before after
        before=$(find "$corpus" -type f | wc -l)
        "$bin" -merge=1 "$corpus" "$new" >>"$log" 2>&1 || rc=$?
        after=$(find "$corpus" -type f | wc -l)
        added=$((after - before))
    fi
    if [ "$rc" = 0 ]; then
        printf '%-22s %4s s  %10s runs  cov %5s  corpus %4s (+%s)  ok\n' "$name" "$SECONDS_EACH" \
            "${runs:-?}" "${cov:-?}" "$(find "$corpus" -type f | wc -l)" "$added"
    else
        printf '%-22s FAILED (exit %s) — reproducer in %s\n' "$name" "$rc" "$BUILD/artifacts/"
        grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5 | sed 's/^/    /'
    fi
    echo "$rc" >"$TMP/$name.rc"
}
export -f one
export ROOT SECONDS_EACH BUILD TMP

ls "$BUILD"/fuzz_* >/dev/null 2>&1 || { echo "fuzz: no targets in $BUILD (build them first)" >&2; exit 1; }
printf '%s\n' "$BUILD"/fuzz_* | xargs -P "$JOBS" -I{} bash -c 'one "$@"' _ {}
failed=0
for f in "$TMP"/*.rc; do [ "$(cat "$f")" = 0 ] || failed=1; done
exit $failed
