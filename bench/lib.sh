# Shell helpers shared by the bench/run_*.sh scripts. Source after deploy/lib.sh.

# medians RUN_FILES...: for every `name value unit` line of the first file, the median of
# that name's values over all files, and each run's value.
medians() {
  local name unit values count mid median
  awk '!/^#/ && NF == 3 && !seen[$1]++ { print $1, $3 }' "$1" | while read -r name unit; do
    values="$(awk -v n="$name" '$1 == n { print $2 }' "$@" | sort -g)"
    count="$(wc -l <<<"$values")"
    mid=$(((count + 1) / 2))
    if ((count % 2 == 1)); then
      median="$(sed -n "${mid}p" <<<"$values")"
    else
      median="$(sed -n "${mid},$((mid + 1))p" <<<"$values" | awk '{ s += $1 } END { printf "%.6g", s / 2 }')"
    fi
    printf '%s %s %s   (runs: %s)\n' "$name" "$median" "$unit" \
      "$(awk -v n="$name" '$1 == n { printf "%s ", $2 }' "$@" | sed 's/ $//')"
  done
}

# ----- A private PostgreSQL, a development PKI and a bidopend for one benchmark ------------
# Used by run_bids.sh and run_opening.sh. They set, before calling these: ROOT, BUILD, SERVER,
# BENCH_TARGET (the benchmark's CMake target), PG_DIR, PKI_DIR, SECRETS_DIR, WORK_DIR,
# OUT_DIR, BIDDERS, SERVER_FLAGS (an array of extra bidopend flags), and PG_STARTED="",
# PG_PORT="", SERVER_PID="", SERVER_ADDR="".

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_server
  if [[ -n $PG_STARTED ]]; then
    bo_pg_stop "$PG_DIR/data" || bo_log "warning: could not stop the cluster in $PG_DIR"
  fi
  [[ ! -d $OUT_DIR ]] || cp -- "$PG_DIR/pg.log" "$OUT_DIR/postgresql.log" 2>/dev/null || true
  rm -rf -- "$PG_DIR" "$PKI_DIR" "$WORK_DIR" "$SECRETS_DIR"
  exit "$rc"
}

# Configures like bo_build, but builds only what the benchmark runs.
build() {
  local jobs="${BIDOPEN_JOBS:-2}"
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
  cmake --build "$BUILD" -j "$jobs" --target bidopend "$BENCH_TARGET"
}

psql_admin() {
  PGPASSFILE="$SECRETS_DIR/$BO_PG_DB_USER.pgpass" "$(bo_pg_bin)/psql" -X -q -w -t -A \
    -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U "$BO_PG_DB_USER" -d postgres -c "$1"
}

start_pg() {
  PG_PORT="$(bo_free_port)"
  PG_STARTED=1
  bo_pg_start "$PG_DIR/data" "$PG_PORT" "$PG_DIR/pg.log" "$SECRETS_DIR" >/dev/null
}

postmaster_pid() { bo_as "$(stat -c %U "$PG_DIR/data")" head -n 1 "$PG_DIR/data/postmaster.pid"; }

# make_pki: the standard identities, then BIDDERS bidders, issued in parallel.
make_pki() {
  bo_log "issuing the PKI and $BIDDERS bidder certificates in $PKI_DIR"
  "$ROOT/deploy/pki.sh" init "$PKI_DIR" 2>"$OUT_DIR/pki.log" ||
    bo_die "deploy/pki.sh init failed: $(tail -n 5 "$OUT_DIR/pki.log")"
  seq -f '%03g' 1 "$BIDDERS" |
    xargs -P "$(nproc)" -I{} "$ROOT/deploy/pki.sh" issue "$PKI_DIR" bidder \
      "bench-bidder-{}" "Bench Bidder {} Ltd" 2>>"$OUT_DIR/pki.log" ||
    bo_die "deploy/pki.sh issue failed: $(tail -n 5 "$OUT_DIR/pki.log")"
}

# start_server DATABASE LOG: migrates DATABASE as the owner role, then starts a fresh
# bidopend on it as the application role on a free port; sets SERVER_PID and SERVER_ADDR.
start_server() {
  local port_file="$WORK_DIR/port" i
  local -a pool=()
  [[ -z ${BIDOPEN_BENCH_POOL_SIZE:-} ]] || pool=(--pool-size "$BIDOPEN_BENCH_POOL_SIZE")
  rm -f -- "$port_file"
  "$SERVER" --migrate-only --database "$(bo_conninfo "$PG_PORT" "$1" "$BO_PG_OWNER" \
    "$SECRETS_DIR")" >"$2" 2>&1 || bo_die "bidopend --migrate-only failed: $(tail -n 5 "$2")"
  "$SERVER" --listen 127.0.0.1:0 --port-file "$port_file" \
    --tls-cert "$PKI_DIR/server.crt" --tls-key "$PKI_DIR/server.key" \
    --client-ca "$PKI_DIR/ca.crt" --log-key "$PKI_DIR/log.key" --log-cert "$PKI_DIR/log.crt" \
    --release-key "$PKI_DIR/release.key" --database "$(bo_conninfo "$PG_PORT" "$1" "$BO_PG_APP" "$SECRETS_DIR")" "${pool[@]}" \
    --append-burst 0 "${SERVER_FLAGS[@]}" >>"$2" 2>&1 & # throughput, not the per-bidder rate limit
  SERVER_PID=$!
  for ((i = 0; i < 300; i++)); do
    [[ -s $port_file ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || bo_die "bidopend exited: $(tail -n 5 "$2")"
    sleep 0.1
  done
  [[ -s $port_file ]] || bo_die "bidopend did not start: $(tail -n 5 "$2")"
  SERVER_ADDR="127.0.0.1:$(cat "$port_file")"
}

stop_server() {
  [[ -n $SERVER_PID ]] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

environment() {
  printf '# date %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  printf '# commit %s%s\n' "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
    "$([[ -z $(git -C "$ROOT" status --porcelain 2>/dev/null) ]] || echo ' (with uncommitted changes)')"
  printf '# nproc %s\n' "$(nproc)"
  printf '# cpu %s\n' "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
  printf '# memory %s\n' "$(free -h | awk '/^Mem:/ { print $2 }')"
  printf '# postgresql %s\n' "$(psql_admin 'select version()')"
  printf '# postgresql settings: %s\n' "$(psql_admin "select string_agg(name || '=' || setting,
    ' ' order by name) from pg_settings where name in ('synchronous_commit', 'fsync',
    'shared_buffers', 'max_wal_size', 'wal_buffers', 'full_page_writes', 'max_connections')")"
  printf '# bidopend --pool-size %s\n' "${BIDOPEN_BENCH_POOL_SIZE:-default}"
  printf '# load average before the runs: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
}

