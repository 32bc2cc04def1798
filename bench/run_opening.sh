#!/usr/bin/env bash
# bench/run_opening.sh [BENCH_ARGS...] — the opening benchmark of issue 11 (bench/README.md
# "Opening: decryption"): BIDOPEN_BENCH_BIDS (default 100) bids of 10 MiB sealed and
# submitted through bidopend, the lot's opening started, every bidder's secret released, and
# the time until bidopend's opener has decrypted them all, against the raw path in the same
# run (libpq read of the same stored chunks + AES-256-GCM, no checks); then a QUORUM lot of as
# many bids opened by three custodians' per-lot keys.
#
# Builds bidopend and opening_bench (Release), starts a private PostgreSQL on a free port and
# a development PKI with BIDOPEN_BENCH_BIDS bidder certificates, all under var/bench-*-<pid>/
# (removed afterwards, also on failure or Ctrl-C). Then BIDOPEN_BENCH_RUNS times (default 3),
# each on a fresh database and a fresh bidopend (--min-lead-time 0, so that the lots can close
# as soon as every bid is in), one opening_bench run. Prints the median of every
# `name value unit` line over the runs, with each run's value, and the targets. Extra
# arguments go to every opening_bench run, e.g. `--bid_mib=1` or `--quorum=false`. Output
# (each run's lines, bidopend's logs, PostgreSQL's log, the medians) is kept in
# var/bench-results/opening-<time>/.
# Env: BIDOPEN_JOBS (build -j, default 2), BIDOPEN_BENCH_SKIP_BUILD=1 (use the binaries in
# build/), BIDOPEN_BENCH_RUNS, BIDOPEN_BENCH_BIDS, BIDOPEN_BENCH_POOL_SIZE (bidopend
# --pool-size; default: bidopend's own default). The environment, GLIBC_TUNABLES included, is
# bidopend's and the benchmark's (bench/README.md measures glibc keeping freed memory that way).
set -euo pipefail
shopt -s inherit_errexit
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/../deploy/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly ROOT="$BO_ROOT"
readonly BUILD="$ROOT/build"
readonly BENCH="$BUILD/bench/opening_bench"
readonly SERVER="$BUILD/server/bidopend"
PG_DIR="$(bo_pg_place "$ROOT/var")/bench-pg-$$"
readonly PG_DIR
readonly PKI_DIR="$ROOT/var/bench-pki-$$"
readonly SECRETS_DIR="$ROOT/var/bench-secrets-$$" # the cluster's passwords (bo_pg_passfile)
readonly WORK_DIR="$ROOT/var/bench-opening-$$"
OUT_DIR="$ROOT/var/bench-results/opening-$(date -u +%Y%m%dT%H%M%SZ)"
readonly OUT_DIR
readonly RUNS="${BIDOPEN_BENCH_RUNS:-3}"
readonly BIDDERS="${BIDOPEN_BENCH_BIDS:-100}"
PG_STARTED=""
PG_PORT=""
SERVER_PID=""
SERVER_ADDR=""
readonly BENCH_TARGET=opening_bench
SERVER_FLAGS=(--min-lead-time 0) # lots close at once

one_run() {
  local run="$1" db="bidopen_run$1"
  shift
  psql_admin "create database $db owner $BO_PG_OWNER"
  start_server "$db" "$OUT_DIR/bidopend-run$run.log"
  "$BENCH" --server="$SERVER_ADDR" --pki="$PKI_DIR" --work="$WORK_DIR" \
    --database="$(bo_conninfo "$PG_PORT" "$db" "$BO_PG_DB_USER" "$SECRETS_DIR")" \
    --server_pid="$SERVER_PID" --pg_pid="$(postmaster_pid)" --bids="$BIDDERS" "$@" |
    tee -a "$OUT_DIR/run$run.txt"
  stop_server
  psql_admin "drop database $db with (force)"
}

# verdict MEDIANS_FILE: each target of issue 11 against the medians.
verdict() {
  awk '
    function line(what, value, ok, target) {
      printf "# %s: %s (target %s: %s)\n", what, value, target, (ok ? "met" : "NOT met")
    }
    { v[$1] = $2 }
    END {
      if ("opening_all_opened_s" in v)
        line("first release to last bid decrypted", v["opening_all_opened_s"] " s",
             v["opening_all_opened_s"] <= 10, "<= 10 s")
      if ("opening_ratio" in v)
        line("raw / bidopen", v["opening_ratio"], v["opening_ratio"] >= 0.7, ">= 0.7")
      if ("split_raw_vs_decrypt" in v)
        line("raw / the Decrypt path, interleaved (the ratio without the noise)",
             v["split_raw_vs_decrypt"], v["split_raw_vs_decrypt"] >= 0.7, ">= 0.7")
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
    bo_die "build first: cmake --build build --target bidopend opening_bench"
  install -d -m 755 "$ROOT/var" "$PG_DIR" "$WORK_DIR" "$OUT_DIR"
  start_pg
  make_pki
  environment | tee "$OUT_DIR/environment.txt"
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
