#!/usr/bin/env bash
# bench/run_watch.sh [BENCH_ARGS...] — the watcher benchmark of issue 12 (bench/README.md
# "Watch"): concurrent OpeningService.Watch streams of one lot on one bidopend, the delivery
# latency of the lot's events to each (p50, p99, max) against a single watcher in the same
# run, bidopend's resident memory per watcher, and the largest number of watchers whose p99
# stays within 1 s.
#
# Builds bidopend and watch_bench (Release), starts a private PostgreSQL on a free port and a
# development PKI, all under var/bench-*-<pid>/ (removed afterwards, also on failure or
# Ctrl-C). Then BIDOPEN_BENCH_RUNS times (default 3), each on a fresh database and a fresh
# bidopend, one watch_bench run. Prints the median of every `name value unit` line over the
# runs, with each run's value, and the targets. Extra arguments go to every watch_bench run,
# e.g. `--watchers=1000,5000` or `--events=50`. Output is kept in
# var/bench-results/watch-<time>/.
# Env: BIDOPEN_JOBS (build -j, default 2), BIDOPEN_BENCH_SKIP_BUILD=1, BIDOPEN_BENCH_RUNS,
# BIDOPEN_BENCH_REPLICA=1 (a second bidopend on the same database appends; the watchers
# are on the first: the delivery crosses replicas through LISTEN/NOTIFY).
set -euo pipefail
shopt -s inherit_errexit
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/../deploy/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly ROOT="$BO_ROOT"
readonly BUILD="$ROOT/build"
readonly BENCH="$BUILD/bench/watch_bench"
readonly SERVER="$BUILD/server/bidopend"
PG_DIR="$(bo_pg_place "$ROOT/var")/bench-pg-$$"
readonly PG_DIR
readonly PKI_DIR="$ROOT/var/bench-pki-$$"
readonly SECRETS_DIR="$ROOT/var/bench-secrets-$$"
readonly WORK_DIR="$ROOT/var/bench-watch-$$"
OUT_DIR="$ROOT/var/bench-results/watch-$(date -u +%Y%m%dT%H%M%SZ)"
readonly OUT_DIR
readonly RUNS="${BIDOPEN_BENCH_RUNS:-3}"
readonly BIDDERS=0 # make_pki: the standard identities only
PG_STARTED=""
PG_PORT=""
SERVER_PID=""
SERVER_ADDR=""
readonly BENCH_TARGET=watch_bench
SERVER_FLAGS=(--min-lead-time 0)

one_run() {
  local run="$1" db="bidopen_run$1" replica_pid=""
  local -a replica=()
  shift
  psql_admin "create database $db owner $BO_PG_OWNER"
  if [[ ${BIDOPEN_BENCH_REPLICA:-} == 1 ]]; then # a second bidopend that appends
    start_server "$db" "$OUT_DIR/bidopend-b-run$run.log"
    replica_pid="$SERVER_PID"
    replica=(--append_server="$SERVER_ADDR")
  fi
  start_server "$db" "$OUT_DIR/bidopend-run$run.log"
  "$BENCH" --server="$SERVER_ADDR" --pki="$PKI_DIR" --server_pid="$SERVER_PID" "${replica[@]}" \
    "$@" | tee -a "$OUT_DIR/run$run.txt"
  stop_server
  if [[ -n $replica_pid ]]; then
    kill -TERM "$replica_pid" 2>/dev/null || true
    wait "$replica_pid" 2>/dev/null || true
  fi
  psql_admin "drop database $db with (force)"
}

# verdict MEDIANS_FILE: issue 12's targets against the medians.
verdict() {
  awk '
    function line(what, value, ok, target) {
      printf "# %s: %s (target %s: %s)\n", what, value, target, (ok ? "met" : "NOT met")
    }
    { v[$1] = $2 }
    END {
      if ("watch_n1000_p99_ms" in v)
        line("1,000 watchers, p99 delivery", v["watch_n1000_p99_ms"] " ms",
             v["watch_n1000_p99_ms"] <= 100, "<= 100 ms")
      if ("watch_largest_n_p99_within_1s" in v)
        line("largest N with p99 <= 1 s", v["watch_largest_n_p99_within_1s"],
             v["watch_largest_n_p99_within_1s"] >= 10000, "aim 10,000")
    }' "$1"
}

main() {
  local i
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  if [[ ${BIDOPEN_BENCH_SKIP_BUILD:-} != 1 ]]; then
    build >&2
  fi
  [[ -x $BENCH && -x $SERVER ]] ||
    bo_die "build first: cmake --build build --target bidopend watch_bench"
  install -d -m 755 "$ROOT/var" "$PG_DIR" "$WORK_DIR" "$OUT_DIR"
  ulimit -n "$(ulimit -Hn)" # two descriptors per connection, one connection per 30 watchers
  start_pg
  make_pki
  environment | tee "$OUT_DIR/environment.txt"
  printf '# ulimit -n %s\n' "$(ulimit -n)" | tee -a "$OUT_DIR/environment.txt"
  for ((i = 1; i <= RUNS; i++)); do
    bo_log "run $i of $RUNS"
    one_run "$i" "$@"
  done
  printf '\n# medians of %s runs\n' "$RUNS"
  medians "$OUT_DIR"/run*.txt | tee "$OUT_DIR/medians.txt"
  verdict "$OUT_DIR/medians.txt" | tee -a "$OUT_DIR/medians.txt"
  bo_log "results kept in $OUT_DIR"
}

main "$@"
