#!/usr/bin/env bash
# bench/run_audit_log.sh [BENCH_ARGS...] — the audit-log benchmark (bench/README.md).
#
# Builds audit_log_bench (Release, deploy/lib.sh bo_build), starts a private PostgreSQL on
# a free port and a development PKI, both under var/bench-*-<pid>/ (removed afterwards,
# also on failure or Ctrl-C), runs the benchmark BIDOPEN_BENCH_RUNS times (default 3) and
# prints the median of every `name value unit` line. Then, unless BIDOPEN_BENCH_PROFILE=0,
# restarts the cluster with pg_stat_statements and runs the append part once more to count
# SQL statements per event (a separate run, so the counting never slows the measured ones).
# Extra arguments go to every run, e.g. `--seconds=5 --threads=16`.
# Output, each run's raw lines and the medians, is also kept in var/bench-results/.
# Env: BIDOPEN_JOBS (build -j, default 2), BIDOPEN_BENCH_SKIP_BUILD=1 (use the existing
# binary in build/), BIDOPEN_BENCH_RUNS, BIDOPEN_BENCH_PROFILE.
set -euo pipefail
shopt -s inherit_errexit
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/../deploy/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly ROOT="$BO_ROOT"
readonly BUILD="$ROOT/build"
readonly BENCH="$BUILD/bench/audit_log_bench"
PG_DIR="$(bo_pg_place "$ROOT/var")/bench-pg-$$"
readonly PG_DIR
readonly PKI_DIR="$ROOT/var/bench-pki-$$"
readonly SECRETS_DIR="$ROOT/var/bench-secrets-$$" # the cluster's passwords (bo_pg_passfile)
OUT_DIR="$ROOT/var/bench-results/audit_log-$(date -u +%Y%m%dT%H%M%SZ)"
readonly OUT_DIR
readonly RUNS="${BIDOPEN_BENCH_RUNS:-3}"
PG_STARTED=""
CONNINFO=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n $PG_STARTED ]]; then
    bo_pg_stop "$PG_DIR/data" || bo_log "warning: could not stop the cluster in $PG_DIR"
  fi
  rm -rf -- "$PG_DIR" "$PKI_DIR" "$SECRETS_DIR"
  exit "$rc"
}

start_pg() {
  local port
  port="$(bo_free_port)"
  PG_STARTED=1
  bo_pg_start "$PG_DIR/data" "$port" "$PG_DIR/pg.log" "$SECRETS_DIR" >/dev/null
  CONNINFO="$(bo_conninfo "$port" postgres "$BO_PG_DB_USER" "$SECRETS_DIR")"
}

psql_admin() {
  local port
  port="$(sed -n 's/.*port=\([0-9]*\).*/\1/p' <<<"$CONNINFO")"
  PGPASSFILE="$SECRETS_DIR/$BO_PG_DB_USER.pgpass" "$(bo_pg_bin)/psql" -X -q -w -t -A \
    -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$BO_PG_DB_USER" -d postgres -c "$1"
}

environment() {
  printf '# date %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  printf '# commit %s%s\n' "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
    "$([[ -z $(git -C "$ROOT" status --porcelain 2>/dev/null) ]] || echo ' (with uncommitted changes)')"
  printf '# nproc %s\n' "$(nproc)"
  printf '# cpu %s\n' "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
  printf '# memory %s\n' "$(free -h | awk '/^Mem:/ { print $2 }')"
  printf '# postgresql %s\n' "$(psql_admin 'select version()')"
  printf '# load average before the runs: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
}

profile_sql() {
  bo_log "restarting the cluster with pg_stat_statements for the statement count"
  psql_admin "alter system set shared_preload_libraries = 'pg_stat_statements'" >/dev/null
  bo_pg_stop "$PG_DIR/data"
  start_pg
  "$BENCH" --database="$CONNINFO" --pki="$PKI_DIR" --only=append --profile_sql \
    --seconds=5 "$@" | tee "$OUT_DIR/profile.txt"
}

main() {
  local i
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  if [[ ${BIDOPEN_BENCH_SKIP_BUILD:-} != 1 ]]; then
    bo_build "$BUILD" Release >&2
  fi
  [[ -x $BENCH ]] || bo_die "$BENCH is missing; build it (cmake --build build --target audit_log_bench)"
  install -d -m 755 "$ROOT/var" "$PG_DIR" "$OUT_DIR"
  start_pg
  "$ROOT/deploy/pki.sh" init "$PKI_DIR" 2>"$OUT_DIR/pki.log" ||
    bo_die "deploy/pki.sh init failed: $(tail -n 5 "$OUT_DIR/pki.log")"
  environment | tee "$OUT_DIR/environment.txt"
  for ((i = 1; i <= RUNS; i++)); do
    bo_log "run $i of $RUNS"
    "$BENCH" --database="$CONNINFO" --pki="$PKI_DIR" "$@" | tee "$OUT_DIR/run$i.txt"
  done
  printf '\n# medians of %s runs\n' "$RUNS"
  medians "$OUT_DIR"/run*.txt | tee "$OUT_DIR/medians.txt"
  if [[ ${BIDOPEN_BENCH_PROFILE:-1} != 0 ]]; then
    printf '\n# statement profile (separate run with pg_stat_statements loaded)\n'
    profile_sql "$@"
  fi
  bo_log "results kept in $OUT_DIR"
}

main "$@"
