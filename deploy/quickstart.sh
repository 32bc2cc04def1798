#!/usr/bin/env bash
# deploy/quickstart.sh [start|stop|status|rotate ROLE] — a local bidopen installation under var/.
#
# start (default): install packages, build (Release), make the dev PKI, start a private
#   PostgreSQL cluster (SCRAM passwords in var/secrets), migrate its schema as the owner
#   role, start bidopend as the application role, run the demo. As root, bidopend runs as
#   the system user `bidopen` (created if missing) with copies of the files it reads in
#   var/bidopend. Safe to re-run; restarts bidopend when the binary or its flags changed.
# stop: stop bidopend and the cluster.   status: show what runs.
# rotate ROLE: a new password for database role ROLE (bidopen, bidopen_owner or bidopen_app)
#   in the running cluster and in var/secrets/ROLE.pgpass; restarts bidopend for bidopen_app.
#
# Env: BIDOPEN_PORT (bidopend port, default 7443; remembered in var/bidopend.port),
#      BIDOPEN_JOBS (build -j, default 2), BIDOPEN_NO_DEMO=1 (skip the demo),
#      BIDOPEN_MIN_LEAD (bidopend --min-lead-time in seconds, default 10 so that the demo
#      can open a tender a minute after creating it; production keeps 1800, the default).
# bidctl profiles (one per identity) go to var/bidctl; `. var/bidopen.env` points bidctl there.
set -euo pipefail
shopt -s inherit_errexit
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly ROOT="$BO_ROOT"
readonly VAR="$ROOT/var"
readonly BUILD="$ROOT/build"
readonly SERVER_BIN="$BUILD/server/bidopend"
readonly BIDCTL_BIN="$BUILD/client/bidctl"
readonly PKI="$VAR/pki"
PG_HOME="$(bo_pg_place "$VAR")" # var/, or a stand-in the postgres user can reach
readonly PG_HOME
readonly PG_DATA="$PG_HOME/pg"
readonly PG_LOG="$PG_HOME/pg.log"
readonly PG_PORT_FILE="$VAR/pg.port"
readonly SECRETS="$VAR/secrets" # one pgpass file per database role, mode 600 (bo_pg_passfile)
readonly SRV_HOME="$PG_HOME/bidopend" # what bidopend reads, owned by the user it runs as
readonly SRV_LOG="$VAR/bidopend.log"
readonly SRV_PID="$VAR/bidopend.pid"
readonly SRV_PORT_FILE="$VAR/bidopend.port"
readonly SRV_STAMP="$VAR/bidopend.stamp"
readonly ENV_FILE="$VAR/bidopen.env"
readonly BIDCTL_CONFIG="$VAR/bidctl" # BIDOPEN_CONFIG_DIR: bidctl's profiles.toml
readonly DEFAULT_PG_PORT=55432
readonly DEFAULT_SRV_PORT=7443
readonly MIN_LEAD="${BIDOPEN_MIN_LEAD:-10}"
readonly IDENTITIES=(agency1 bidder1 bidder2 bidder3 custodian1 custodian2 custodian3
  supervisor1 auditor1 operator1)

ensure_var() {
  # 755: the postgres user must be able to pass through var/ when we run as root.
  [[ -d $VAR ]] || install -d -m 755 "$VAR"
}

# ----- PostgreSQL ------------------------------------------------------------------------

pg_port() {
  local port=""
  [[ -f $PG_PORT_FILE ]] && port="$(<"$PG_PORT_FILE")"
  if [[ ! $port =~ ^[0-9]+$ ]]; then
    port=$DEFAULT_PG_PORT
    bo_port_busy "$port" && port="$(bo_free_port)"
  elif ! pg_running && bo_port_busy "$port"; then
    bo_log "port $port (from $PG_PORT_FILE) is taken by something else"
    port="$(bo_free_port)"
  fi
  printf '%s\n' "$port" >"$PG_PORT_FILE"
  printf '%s\n' "$port"
}

pg_running() {
  [[ -d $PG_DATA ]] &&
    bo_as "$(stat -c %U "$PG_DATA")" "$(bo_pg_bin)/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

# start_pg: prints the port of the running cluster.
start_pg() {
  local port
  port="$(bo_pg_start "$PG_DATA" "$(pg_port)" "$PG_LOG" "$SECRETS")"
  printf '%s\n' "$port" >"$PG_PORT_FILE"
  printf '%s\n' "$port"
}

# ----- bidopend --------------------------------------------------------------------------

# server_pid: prints the pid from the pid file if that process is our bidopend.
server_pid() {
  local pid exe
  [[ -f $SRV_PID ]] || return 1
  pid="$(<"$SRV_PID")"
  [[ $pid =~ ^[0-9]+$ ]] && bo_proc_alive "$pid" || return 1
  exe="$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | head -n 1)"
  [[ $exe == "$SERVER_BIN" || $exe == "$SRV_HOME/bidopend" ]] || return 1
  printf '%s\n' "$pid"
}

server_port() {
  local port="${BIDOPEN_PORT:-}"
  [[ -n $port || ! -f $SRV_PORT_FILE ]] || port="$(<"$SRV_PORT_FILE")"
  port="${port:-$DEFAULT_SRV_PORT}"
  [[ $port =~ ^[0-9]+$ ]] || bo_die "bad bidopend port '$port'"
  printf '%s\n' "$port"
}

# server_args PORT PG_PORT: bidopend's flags: the copies in SRV_HOME, the application role.
server_args() {
  printf '%s\n' --listen "127.0.0.1:$1" --tls-cert "$SRV_HOME/server.crt" \
    --tls-key "$SRV_HOME/server.key" --client-ca "$SRV_HOME/ca.crt" \
    --log-key "$SRV_HOME/log.key" --log-cert "$SRV_HOME/log.crt" \
    --release-key "$SRV_HOME/release.key" --min-lead-time "$MIN_LEAD" \
    --database "$(bo_conninfo "$2" bidopen "$BO_PG_APP" "$SRV_HOME")"
}

# The stamp identifies binary, TLS files, the application role's password file and flags;
# a difference means the running server is stale. (It holds no password.)
server_stamp() {
  stat -c '%n %d:%i:%Y:%s' "$SERVER_BIN" "$PKI/server.crt" "$PKI/server.key" "$PKI/ca.crt" \
    "$PKI/log.crt" "$PKI/log.key" "$PKI/release.key" "$SECRETS/$BO_PG_APP.pgpass"
  server_args "$@"
}

# install_service_files USER: copies what bidopend reads into SRV_HOME, owned by USER and
# readable by USER only (the application role's pgpass file as SRV_HOME/bidopen_app.pgpass).
# As root, SRV_HOME is root:USER 750 so that USER cannot replace them, and a root-owned
# copy of the binary goes there if USER cannot reach the build.
install_service_files() {
  local user="$1" group f
  group="$(id -gn "$user")"
  if [[ $user == "$(id -un)" ]]; then
    install -d -m 700 "$SRV_HOME"
  else
    install -d -m 750 -o root -g "$group" "$SRV_HOME"
  fi
  for f in ca.crt server.crt server.key log.crt log.key release.key; do
    install -m 400 -o "$user" -g "$group" -- "$PKI/$f" "$SRV_HOME/$f"
  done
  install -m 400 -o "$user" -g "$group" -- "$(bo_pg_passfile "$SECRETS" "$BO_PG_APP")" \
    "$SRV_HOME/$BO_PG_APP.pgpass"
  if [[ $user != "$(id -un)" ]] &&
    ! { bo_can_reach "$user" "$SERVER_BIN" && bo_as "$user" test -x "$SERVER_BIN"; }; then
    install -m 755 -- "$SERVER_BIN" "$SRV_HOME/bidopend"
  else
    rm -f -- "$SRV_HOME/bidopend"
  fi
}

# migrate PG_PORT: applies the pending migrations as the owner role, as we (not bidopend's
# user) hold its password.
migrate() {
  bo_log "migrating database bidopen as $BO_PG_OWNER"
  if ! "$SERVER_BIN" --migrate-only \
    --database "$(bo_conninfo "$1" bidopen "$BO_PG_OWNER" "$SECRETS")" >>"$SRV_LOG" 2>&1; then
    bo_log "error: migrating the database failed; last lines of $SRV_LOG:"
    tail -n 5 "$SRV_LOG" >&2
    exit 1
  fi
}

stop_server() {
  local pid i
  pid="$(server_pid)" || { rm -f "$SRV_PID"; return 0; }
  bo_log "stopping bidopend (pid $pid)"
  kill -TERM "$pid" || bo_die "cannot signal bidopend (pid $pid); was it started by another user?"
  for ((i = 0; i < 100; i++)); do
    bo_proc_alive "$pid" || break
    sleep 0.1
  done
  if bo_proc_alive "$pid"; then
    bo_log "bidopend did not stop within 10 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$SRV_PID" "$SRV_STAMP"
}

# launch_server PORT PG_PORT: migrates, then starts bidopend as the service user (as root:
# the system user bidopen, with no privileges left: setpriv --no-new-privs).
launch_server() {
  local port="$1" pg="$2" user bin pid
  local -a args run=()
  user="$(bo_service_user)"
  install_service_files "$user"
  migrate "$pg"
  bin="$SERVER_BIN"
  [[ ! -x $SRV_HOME/bidopend ]] || bin="$SRV_HOME/bidopend"
  if [[ $user != "$(id -un)" ]]; then
    run=(setpriv --reuid="$user" --regid="$user" --init-groups --no-new-privs --)
  fi
  mapfile -t args < <(server_args "$port" "$pg")
  printf '\n=== %s starting %s as %s: %s\n' "$(date -Is)" "$bin" "$user" "${args[*]@Q}" \
    >>"$SRV_LOG"
  # setsid: a Ctrl-C in this terminal must not reach the background server. From /: the
  # service user need not reach our working directory. Each exec keeps the pid.
  (cd / && exec setsid "${run[@]}" "$bin" "${args[@]}" </dev/null >>"$SRV_LOG" 2>&1) &
  pid=$!
  printf '%s\n' "$pid" >"$SRV_PID"
  printf '%s\n' "$port" >"$SRV_PORT_FILE"
  server_stamp "$port" "$pg" >"$SRV_STAMP"
  wait_for_server "$pid" "$port"
}

wait_for_server() {
  local pid="$1" port="$2" i
  for ((i = 0; i < 300; i++)); do
    if ! bo_proc_alive "$pid"; then
      bo_log "error: bidopend exited during start-up; last lines of $SRV_LOG:"
      tail -n 30 "$SRV_LOG" >&2
      rm -f "$SRV_PID" "$SRV_STAMP"
      exit 1
    fi
    bo_port_busy "$port" && { bo_log "bidopend is up on 127.0.0.1:$port (pid $pid)"; return 0; }
    sleep 0.1
  done
  bo_log "error: bidopend (pid $pid) does not listen on $port after 30 s; see $SRV_LOG"
  exit 1
}

# start_server PG_PORT: prints the port bidopend listens on.
start_server() {
  local pg="$1" port pid
  [[ -x $SERVER_BIN ]] || bo_die "$SERVER_BIN was not built"
  port="$(server_port)"
  if pid="$(server_pid)"; then
    if [[ -f $SRV_STAMP && "$(<"$SRV_STAMP")" == "$(server_stamp "$port" "$pg")" ]]; then
      bo_log "bidopend already running (pid $pid) on 127.0.0.1:$port"
      printf '%s\n' "$port"
      return 0
    fi
    bo_log "bidopend binary, TLS files or flags changed: restarting"
    stop_server
  fi
  if bo_port_busy "$port"; then
    bo_log "port $port is taken by another program; choosing a free one"
    port="$(bo_free_port)"
  fi
  launch_server "$port" "$pg" >&2
  printf '%s\n' "$port"
}

# ----- commands --------------------------------------------------------------------------

write_env_file() {
  cat >"$ENV_FILE" <<EOF
# source this file: . $ENV_FILE
export BIDCTL='$BIDCTL_BIN'
export BIDOPEN_SERVER='127.0.0.1:$1'
export BIDOPEN_PKI='$PKI'
export BIDOPEN_VAR='$VAR'
export BIDOPEN_CONFIG_DIR='$BIDCTL_CONFIG'
EOF
}

# save_profiles PORT: one bidctl profile per identity, in var/bidctl/profiles.toml.
save_profiles() {
  local port="$1" name
  if [[ ! -x $BIDCTL_BIN ]]; then
    bo_log "warning: $BIDCTL_BIN was not built; no bidctl profiles saved"
    return 0
  fi
  [[ -d $BIDCTL_CONFIG ]] || install -d -m 700 "$BIDCTL_CONFIG"
  for name in "${IDENTITIES[@]}"; do
    if ! BIDOPEN_CONFIG_DIR="$BIDCTL_CONFIG" "$BIDCTL_BIN" --server "127.0.0.1:$port" \
      --ca "$PKI/ca.crt" --cert "$PKI/$name.crt" --key "$PKI/$name.key" \
      profile save "$name" >/dev/null; then
      bo_log "warning: could not save bidctl profile $name"
      return 0
    fi
  done
}

run_demo() {
  if [[ ${BIDOPEN_NO_DEMO:-} == 1 ]]; then
    bo_log "BIDOPEN_NO_DEMO=1: skipping the demo"
    return 0
  fi
  # shellcheck source-path=SCRIPTDIR
  source "$ROOT/deploy/demo.sh"
  BIDCTL="$BIDCTL_BIN" BIDOPEN_SERVER="127.0.0.1:$1" BIDOPEN_PKI="$PKI" BIDOPEN_VAR="$VAR"
  BIDOPEN_CONFIG_DIR="$BIDCTL_CONFIG"
  export BIDCTL BIDOPEN_SERVER BIDOPEN_PKI BIDOPEN_VAR BIDOPEN_CONFIG_DIR
  demo
}

print_summary() {
  cat <<EOF

bidopen is running.
  server     127.0.0.1:$1 (pid $(server_pid || echo '?'), user $(bo_service_user))   log: $SRV_LOG
  database   $(bo_conninfo "$2" bidopen "$BO_PG_APP" "$SRV_HOME")
             data: $PG_DATA   log: $PG_LOG
             passwords: $SECRETS (one pgpass file per role; docs/operations.md)
  PKI        $PKI (ca.crt, server.crt; one .crt/.key pair per identity)

Use bidctl with one profile per identity (saved in $BIDCTL_CONFIG/profiles.toml):
  profiles: ${IDENTITIES[*]}
  . $ENV_FILE     # sets BIDOPEN_CONFIG_DIR so bidctl finds them
  $BIDCTL_BIN -p bidder1 --help
  $BIDCTL_BIN profile list
  Without profiles: --server 127.0.0.1:$1 --ca $PKI/ca.crt
                    --cert $PKI/NAME.crt --key $PKI/NAME.key

Stop everything:  $ROOT/deploy/quickstart.sh stop
EOF
}

cmd_start() {
  local pg port
  bo_install_packages
  bo_build "$BUILD" Release
  ensure_var
  "$ROOT/deploy/pki.sh" init "$PKI"
  pg="$(start_pg)"
  port="$(start_server "$pg")"
  write_env_file "$port"
  save_profiles "$port"
  run_demo "$port"
  print_summary "$port" "$pg"
}

cmd_stop() {
  stop_server
  bo_pg_stop "$PG_DATA"
  bo_log "stopped"
}

cmd_status() {
  local pid pg_port_now
  if pid="$(server_pid)"; then
    echo "bidopend:   running, pid $pid, 127.0.0.1:$(<"$SRV_PORT_FILE"), log $SRV_LOG"
  else
    echo "bidopend:   not running"
  fi
  if pg_running; then
    pg_port_now="$(bo_as "$(stat -c %U "$PG_DATA")" sed -n 4p "$PG_DATA/postmaster.pid")"
    echo "PostgreSQL: running, $(bo_conninfo "$pg_port_now" bidopen "$BO_PG_APP" "$SRV_HOME"), data $PG_DATA, log $PG_LOG"
  else
    echo "PostgreSQL: not running (data $PG_DATA)"
  fi
}

cmd_rotate() {
  local role="${1:-}" pg port
  case "$role" in
    "$BO_PG_DB_USER" | "$BO_PG_OWNER" | "$BO_PG_APP") ;;
    *) bo_die "usage: $0 rotate $BO_PG_DB_USER|$BO_PG_OWNER|$BO_PG_APP" ;;
  esac
  pg_running || bo_die "PostgreSQL is not running: deploy/quickstart.sh first"
  pg="$(bo_as "$(stat -c %U "$PG_DATA")" sed -n 4p "$PG_DATA/postmaster.pid")"
  bo_pg_rotate "$pg" "$SECRETS" "$role"
  if [[ $role == "$BO_PG_APP" ]] && server_pid >/dev/null; then
    port="$(start_server "$pg")" # its stamp changed: restarts with the new password file
    bo_log "bidopend restarted on 127.0.0.1:$port with the new password"
  fi
}

main() {
  case "${1:-start}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    rotate) cmd_rotate "${2:-}" ;;
    *)
      echo "usage: $0 [start|stop|status|rotate ROLE]" >&2
      exit 2
      ;;
  esac
}

main "$@"
