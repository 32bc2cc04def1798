#!/usr/bin/env bash
# bench/run_bids.sh [BENCH_ARGS...] — bid upload benchmarks (b) and (c) of issue 4
# (bench/README.md): one large bid's durable ingest against raw libpq, and the deadline
# surge of many bidders.
#
# Builds bidopend and bid_upload_bench (Release), starts a private PostgreSQL on a free port
# and a development PKI with BIDOPEN_BENCH_BIDDERS (default 200) extra bidder certificates,
# all under var/bench-*-<pid>/ (removed afterwards, also on failure or Ctrl-C). Then
# BIDOPEN_BENCH_RUNS times (default 3), each run on a fresh database, three parts, each
# against a freshly started bidopend (so that its peak RSS is that part's): ingest, the
# surge (starts spread over 10 s) and a burst (the same bidders all starting at once, to
# see threads and memory with one stream per bidder). Prints the median of every
# `name value unit` line over the runs, with each run's value, and the targets. Extra
# arguments go to every bid_upload_bench run, e.g. `--ingest_mib=512` or `--spread=5`.
# Output, each run's raw lines, bidopend's logs, per-upload times of the surge and the
# burst (CSV), PostgreSQL's log and the medians, is kept in var/bench-results/bids-<time>/.
# Env: BIDOPEN_JOBS (build -j, default 2), BIDOPEN_BENCH_SKIP_BUILD=1 (use the binaries in
# build/), BIDOPEN_BENCH_RUNS, BIDOPEN_BENCH_BIDDERS, BIDOPEN_BENCH_POOL_SIZE (bidopend
# --pool-size; default: bidopend's own default), BIDOPEN_BENCH_ONLY (ingest, surge or burst).
set -euo pipefail
shopt -s inherit_errexit
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/../deploy/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly ROOT="$BO_ROOT"
readonly BUILD="$ROOT/build"
readonly BENCH="$BUILD/bench/bid_upload_bench"
readonly SERVER="$BUILD/server/bidopend"
PG_DIR="$(bo_pg_place "$ROOT/var")/bench-pg-$$"
readonly PG_DIR
readonly PKI_DIR="$ROOT/var/bench-pki-$$"
readonly SECRETS_DIR="$ROOT/var/bench-secrets-$$" # the cluster's passwords (bo_pg_passfile)
readonly WORK_DIR="$ROOT/var/bench-bids-$$"
OUT_DIR="$ROOT/var/bench-results/bids-$(date -u +%Y%m%dT%H%M%SZ)"
readonly OUT_DIR
readonly RUNS="${BIDOPEN_BENCH_RUNS:-3}"
readonly BIDDERS="${BIDOPEN_BENCH_BIDDERS:-200}"
readonly ONLY="${BIDOPEN_BENCH_ONLY:-}"
PG_STARTED=""
PG_PORT=""
SERVER_PID=""
SERVER_ADDR=""
readonly BENCH_TARGET=bid_upload_bench
SERVER_FLAGS=()

# part NAME ONLY RUN BENCH_ARGS...: one part of one run against a fresh bidopend (so that
# its peak RSS is this part's); the output goes to stdout and to run<RUN>.txt.
part() {
  local name="$1" only="$2" run="$3"
  shift 3
  start_server "bidopen_run$run" "$OUT_DIR/bidopend-run$run-$name.log"
  "$BENCH" --server="$SERVER_ADDR" --pki="$PKI_DIR" --work="$WORK_DIR" \
    --database="$(bo_conninfo "$PG_PORT" postgres "$BO_PG_DB_USER" "$SECRETS_DIR")" --server_pid="$SERVER_PID" \
    --pg_pid="$(postmaster_pid)" --bidders="$BIDDERS" --only="$only" \
    --times_csv="$OUT_DIR/$name-run$run.csv" "$@" |
    tee -a "$OUT_DIR/run$run.txt"
  stop_server
}

one_run() {
  local run="$1"
  shift
  psql_admin "create database bidopen_run$run owner $BO_PG_OWNER"
  if [[ -z $ONLY || $ONLY == ingest ]]; then part ingest ingest "$run" "$@"; fi
  if [[ -z $ONLY || $ONLY == surge ]]; then part surge surge "$run" "$@"; fi
  # The same bidders all at once: one server thread per stream (sync API).
  if [[ -z $ONLY || $ONLY == burst ]]; then
    part burst surge "$run" "$@" --label=burst --spread=0.001 --raw_baseline=false
  fi
  psql_admin "drop database bidopen_run$run with (force)"
}

# verdict MEDIANS_FILE: each target of issue 4 against the medians.
verdict() {
  awk -v bidders="$BIDDERS" '
    function line(what, value, ok, target) {
      printf "# %s: %s (target %s: %s)\n", what, value, target, (ok ? "met" : "NOT met")
    }
    { v[$1] = $2 }
    END {
      if ("ingest_ratio" in v) line("ingest ratio", v["ingest_ratio"], v["ingest_ratio"] >= 0.8, ">= 0.8")
      if ("surge_receipts" in v) line("surge receipts", v["surge_receipts"], v["surge_receipts"] == bidders, "= " bidders)
      if ("surge_commit_to_receipt_p99_ms" in v)
        line("surge p99 commit-to-receipt", v["surge_commit_to_receipt_p99_ms"] " ms",
             v["surge_commit_to_receipt_p99_ms"] <= 250, "<= 250 ms")
      if ("surge_server_vmhwm_mb" in v)
        line("surge server peak RSS", v["surge_server_vmhwm_mb"] " MB", v["surge_server_vmhwm_mb"] <= 512, "<= 512 MB")
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
    bo_die "build first: cmake --build build --target bidopend bid_upload_bench"
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
