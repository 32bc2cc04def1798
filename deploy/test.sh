#!/usr/bin/env bash
# deploy/test.sh [CTEST_ARGS...] — build (Release) and run the test suite with ctest.
#
# Gives the tests a fresh private PostgreSQL cluster, its passwords and a fresh PKI, all
# under var/test-*-<pid>/, removed afterwards (also on failure or Ctrl-C). Exports:
#   BIDOPEN_TEST_PG           conninfo of the cluster's `postgres` database as the superuser
#   BIDOPEN_TEST_PG_OWNER     the same as the owner role (runs migrations)
#   BIDOPEN_TEST_PG_APP       the same as the application role (bidopend serves as it)
#                             (each with passfile= of its role; the passwords stay in files)
#   BIDOPEN_TEST_PKI          dir made by `pki.sh init` (CA, server, standard identities)
#   BIDOPEN_TEST_FOREIGN_PKI  dir with another CA (same name, different key) and one
#                             bidder identity `foreignbidder` issued by it
# Extra arguments go to ctest, e.g. `deploy/test.sh -L unit` or `-R Seal`.
# Env: BIDOPEN_JOBS (build -j, default 2), BIDOPEN_KEEP_TEST_DIRS=1 (keep the temp dirs).
set -euo pipefail
shopt -s inherit_errexit
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly ROOT="$BO_ROOT"
readonly BUILD="$ROOT/build"
PG_DIR="$(bo_pg_place "$ROOT/var")/test-pg-$$"
readonly PG_DIR
readonly PKI_DIR="$ROOT/var/test-pki-$$"
readonly SECRETS_DIR="$ROOT/var/test-secrets-$$"
STARTED=$SECONDS
PG_STARTED=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n $PG_STARTED ]]; then
    bo_pg_stop "$PG_DIR/data" || bo_log "warning: could not stop the test cluster in $PG_DIR"
  fi
  if [[ ${BIDOPEN_KEEP_TEST_DIRS:-} == 1 ]]; then
    bo_log "keeping $PG_DIR, $PKI_DIR and $SECRETS_DIR"
  else
    rm -rf -- "$PG_DIR" "$PKI_DIR" "$SECRETS_DIR"
  fi
  exit "$rc"
}

make_pki() {
  "$ROOT/deploy/pki.sh" init "$PKI_DIR/main"
  "$ROOT/deploy/pki.sh" ca "$PKI_DIR/foreign"
  "$ROOT/deploy/pki.sh" issue "$PKI_DIR/foreign" bidder foreignbidder "Foreign Co"
}

start_pg() {
  local port
  install -d -m 755 "$ROOT/var" "$PG_DIR"
  port="$(bo_free_port)"
  PG_STARTED=1
  bo_pg_start "$PG_DIR/data" "$port" "$PG_DIR/pg.log" "$SECRETS_DIR" >/dev/null
  BIDOPEN_TEST_PG="$(bo_conninfo "$port" postgres "$BO_PG_DB_USER" "$SECRETS_DIR")"
  BIDOPEN_TEST_PG_OWNER="$(bo_conninfo "$port" postgres "$BO_PG_OWNER" "$SECRETS_DIR")"
  BIDOPEN_TEST_PG_APP="$(bo_conninfo "$port" postgres "$BO_PG_APP" "$SECRETS_DIR")"
}

summary() {
  local rc="$1" verdict=PASSED
  ((rc == 0)) || verdict="FAILED (ctest exit $rc)"
  bo_log "$verdict in $((SECONDS - STARTED)) s; ctest args: ${*:2}"
}

main() {
  local rc=0
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  bo_install_packages
  bo_build "$BUILD" Release
  start_pg
  make_pki
  export BIDOPEN_TEST_PG BIDOPEN_TEST_PG_OWNER BIDOPEN_TEST_PG_APP
  export BIDOPEN_TEST_PKI="$PKI_DIR/main"
  export BIDOPEN_TEST_FOREIGN_PKI="$PKI_DIR/foreign"
  bo_log "BIDOPEN_TEST_PG='$BIDOPEN_TEST_PG'"
  ctest --test-dir "$BUILD" --output-on-failure --no-tests=error -j "${BIDOPEN_JOBS:-2}" "$@" || rc=$?
  summary "$rc" "$@"
  return "$rc"
}

main "$@"
