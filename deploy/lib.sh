# shellcheck shell=bash
# deploy/lib.sh — helpers shared by the deploy scripts. Source it; do not run it.
#
# The caller sets `set -euo pipefail`. Functions that other scripts capture with $(...)
# (bo_root, bo_pg_bin, bo_free_port, bo_conninfo, bo_pg_start, bo_pg_passfile,
# bo_service_user) print their result on
# stdout and everything else on stderr, and check their own errors, because errexit does
# not reach into command substitutions.

BO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"

# Debian 12 packages needed to build, test and run bidopen.
# libcpp-httplib-dev is not in the original list: design.md §9 names it for the metrics port.
BO_PACKAGES=(
  build-essential cmake pkg-config git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libssl-dev openssl libpq-dev postgresql postgresql-client
  libgtest-dev libgmock-dev googletest
  libcli11-dev nlohmann-json3-dev libtomlplusplus-dev libabsl-dev libcpp-httplib-dev
  tzdata procps iproute2 tmux
  python3 python3-cryptography
)

# PostgreSQL roles (docs/operations.md, "Database roles"); each has a SCRAM password.
BO_PG_DB_USER=bidopen # the cluster's superuser (initdb --username): deploy scripts only
BO_PG_OWNER=bidopen_owner # owns the schema, runs the migrations (bidopend --migrate-only)
BO_PG_APP=bidopen_app # bidopend serves as it: no DDL, the log append-only (migration 0008)
BO_PG_SYSTEM_USER=postgres # runs the cluster when we are root
BO_SERVICE_USER=bidopen # the OS user bidopend runs as when the scripts run as root

bo_log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
bo_die() { bo_log "error: $*"; exit 1; }

# bo_root: sets BO_ROOT and prints the repository root.
bo_root() {
  BO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
  printf '%s\n' "$BO_ROOT"
}

# bo_abs PATH: PATH made absolute; a relative PATH is taken relative to the repository root.
bo_abs() {
  case "$1" in
    /*) realpath -m -- "$1" ;;
    *) realpath -m -- "$BO_ROOT/$1" ;;
  esac
}

# bo_sudo CMD...: runs CMD as root.
bo_sudo() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -- "$@"
  else
    bo_die "need root for: $* (install sudo or run as root)"
  fi
}

# bo_as USER CMD...: runs CMD as USER (directly if we are USER), from / so that the
# target user never needs access to our working directory.
bo_as() {
  local user="$1"
  shift
  if [[ $user == "$(id -un)" ]]; then
    (cd / && "$@")
  else
    (cd / && bo_sudo runuser -u "$user" -- "$@")
  fi
}

# bo_proc_alive PID: true if PID exists and is not a zombie (works for other users' pids).
bo_proc_alive() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ ${stat:0:1} != Z ]]
}

# ---------------------------------------------------------------------------------------
# Packages and build

_bo_pkg_installed() {
  [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]
}

# bo_install_packages: installs the missing packages of BO_PACKAGES with apt-get.
bo_install_packages() {
  local pkg
  local -a missing=()
  for pkg in "${BO_PACKAGES[@]}"; do
    _bo_pkg_installed "$pkg" || missing+=("$pkg")
  done
  ((${#missing[@]} > 0)) || return 0
  bo_log "installing: ${missing[*]}"
  if [[ -z ${BO_APT_UPDATED:-} ]]; then
    bo_sudo env DEBIAN_FRONTEND=noninteractive apt-get update -y
    BO_APT_UPDATED=1
  fi
  bo_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
}

# bo_build BUILD_DIR [BUILD_TYPE=Release] [EXTRA_CMAKE_ARGS...]
# A relative BUILD_DIR is relative to the repository root. Env BIDOPEN_JOBS overrides -j2.
bo_build() {
  local dir type jobs="${BIDOPEN_JOBS:-2}"
  dir="$(bo_abs "${1:?usage: bo_build BUILD_DIR [BUILD_TYPE] [CMAKE_ARGS...]}")"
  type="${2:-Release}"
  shift $(($# < 2 ? $# : 2))
  [[ $jobs =~ ^[1-9][0-9]*$ ]] || bo_die "BIDOPEN_JOBS must be a positive integer, got '$jobs'"
  cmake -S "$BO_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE="$type" \
    -DCMAKE_EXPORT_COMPILE_COMMANDS=ON "$@"
  cmake --build "$dir" -j "$jobs"
}

# ---------------------------------------------------------------------------------------
# Ports

# bo_port_busy PORT: true if something listens on TCP PORT (any address).
bo_port_busy() {
  if command -v ss >/dev/null 2>&1; then
    [[ -n $(ss -Hltn "sport = :$1" 2>/dev/null) ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# bo_free_port: prints a TCP port that is free on 127.0.0.1 right now.
bo_free_port() {
  local port i
  if command -v python3 >/dev/null 2>&1 &&
    port="$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' 2>/dev/null)" && [[ $port =~ ^[0-9]+$ ]]; then
    printf '%s\n' "$port"
    return 0
  fi
  for i in $(seq 1 200); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    if ! bo_port_busy "$port"; then
      printf '%s\n' "$port"
      return 0
    fi
  done
  bo_log "error: no free TCP port found after $i tries"
  return 1
}

# ---------------------------------------------------------------------------------------
# PostgreSQL: a private cluster listening on 127.0.0.1 only, no Unix socket.

# bo_pg_bin: prints the PostgreSQL bin directory (15 if present, else the newest).
bo_pg_bin() {
  local dir
  if [[ -x /usr/lib/postgresql/15/bin/pg_ctl ]]; then
    printf '%s\n' /usr/lib/postgresql/15/bin
    return 0
  fi
  dir="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null |
    sort -V | tail -n 1)"
  if [[ -z $dir || ! -x $dir/pg_ctl ]]; then
    bo_log "error: no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)"
    return 1
  fi
  printf '%s\n' "$dir"
}

# _bo_pg_owner DATADIR: the user that owns (or will own) the cluster: the owner of
# DATADIR unless that is root; else postgres if we are root; else us.
_bo_pg_owner() {
  local owner=""
  [[ ! -d $1 ]] || owner="$(stat -c %U -- "$1")"
  if [[ -n $owner && $owner != root ]]; then
    printf '%s\n' "$owner"
  elif [[ $(id -u) -eq 0 ]]; then
    printf '%s\n' "$BO_PG_SYSTEM_USER"
  else
    id -un
  fi
}

# _bo_pg_check_traverse USER DIR...: fails naming the first directory on the way to
# each DIR that USER cannot enter.
_bo_pg_check_traverse() {
  local user="$1" dir bad
  shift
  local -a chain=()
  for dir in "$@"; do
    while [[ $dir != / ]]; do
      chain=("$dir" "${chain[@]}")
      dir="$(dirname "$dir")"
    done
  done
  # shellcheck disable=SC2016 # expanded by the inner shell
  bad="$(bo_as "$user" bash -c 'for d; do [[ -x $d ]] || { echo "$d"; exit; }; done' _ \
    / "${chain[@]}")" || bad="(could not run a check as $user)"
  [[ -z $bad ]] && return 0
  bo_log "error: user '$user' cannot enter directory $bad ($(stat -c '%A %U' "$bad" 2>/dev/null))."
  bo_log "  PostgreSQL refuses to run as root, so the cluster runs as '$user'."
  bo_log "  Fix: 'chmod o+x $bad', or keep the data under a directory '$user' can reach"
  bo_log "  (e.g. clone the repository under /srv or /opt), or run as a normal user with sudo."
  return 1
}

# bo_pg_place DIR: prints DIR if the cluster's user can reach it; otherwise (a clone
# under /root, mode 700, run as root) a stand-in /var/lib/bidopen-dev/<hash of DIR>,
# the same on every run, and says so on stderr. Clusters and their logs go under it.
bo_pg_place() {
  local dir user parent alt
  dir="$(bo_abs "${1:?usage: bo_pg_place DIR}")"
  user="$(_bo_pg_owner "$dir")"
  if [[ $user == "$(id -un)" ]]; then
    printf '%s\n' "$dir"
    return 0
  fi
  parent="$dir"
  while [[ ! -d $parent ]]; do parent="$(dirname "$parent")"; done
  if _bo_pg_check_traverse "$user" "$parent" 2>/dev/null; then
    printf '%s\n' "$dir"
    return 0
  fi
  alt="/var/lib/bidopen-dev/$(printf '%s' "$dir" | sha256sum | cut -c1-12)"
  bo_sudo install -d -m 755 /var/lib/bidopen-dev "$alt"
  bo_log "note: user $user cannot reach $dir; PostgreSQL data goes to $alt instead"
  printf '%s\n' "$alt"
}

# _bo_pg_running USER DATADIR
_bo_pg_running() {
  [[ -d $2 ]] || return 1
  bo_as "$1" "$(bo_pg_bin)/pg_ctl" -D "$2" status >/dev/null 2>&1
}

# _bo_pg_prepare USER DATADIR LOGFILE: creates DATADIR and LOGFILE owned by USER.
_bo_pg_prepare() {
  local user="$1" data="$2" log="$3"
  mkdir -p -- "$(dirname "$data")" "$(dirname "$log")" || return 1
  if [[ $user == "$(id -un)" ]]; then
    { [[ -d $data ]] || mkdir -m 700 -- "$data"; } && touch -- "$log"
    return
  fi
  _bo_pg_check_traverse "$user" "$(dirname "$data")" "$(dirname "$log")" || return 1
  if [[ ! -d $data ]]; then
    bo_sudo install -d -m 700 -o "$user" -g "$(id -gn "$user")" -- "$data" || return 1
  elif [[ $(stat -c %U -- "$data") != "$user" ]]; then
    _bo_pg_adopt "$user" "$data" || return 1
  fi
  bo_sudo touch -- "$log" && bo_sudo chown "$user:$(id -gn "$user")" -- "$log"
}

# _bo_pg_adopt USER DATADIR: hands an empty DATADIR (e.g. made by root) to USER.
_bo_pg_adopt() {
  if [[ -n $(bo_sudo find "$2" -mindepth 1 -maxdepth 1 -print -quit) ]]; then
    bo_log "error: $2 is owned by $(stat -c %U -- "$2"), not $1, and is not empty"
    return 1
  fi
  bo_sudo chown "$1:$(id -gn "$1")" -- "$2" && bo_sudo chmod 700 -- "$2"
}

_bo_pg_locale() {
  if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
    printf 'C.UTF-8\n'
  else
    printf 'C\n'
  fi
}

# _bo_pg_initdb USER DATADIR SECRETS: a cluster whose superuser has the password of its
# pgpass file and where every connection needs a SCRAM password. USER cannot read SECRETS,
# so the password reaches initdb through stdin and a private file of USER's, removed at once.
_bo_pg_initdb() {
  local user="$1" data="$2" passfile
  if [[ -n $(bo_as "$user" find "$data" -mindepth 1 -maxdepth 1 -print -quit) ]]; then
    bo_log "error: $data is not empty but has no PG_VERSION; remove it or pick another directory"
    return 1
  fi
  passfile="$(bo_pg_passfile "$3" "$BO_PG_DB_USER")" || return 1
  bo_log "initdb $data (as $user; SCRAM passwords, superuser $BO_PG_DB_USER)"
  # shellcheck disable=SC2016 # expanded by the inner shell
  cut -d: -f5- "$passfile" | bo_as "$user" bash -c 'set -euo pipefail
    umask 077
    tmp="$(mktemp -d)"
    trap '\''rm -rf -- "$tmp"'\'' EXIT
    cat >"$tmp/pw"
    "$1" -D "$2" --username="$3" --pwfile="$tmp/pw" --auth=scram-sha-256 --encoding=UTF8 \
      --locale="$4" --no-instructions >/dev/null' \
    _ "$(bo_pg_bin)/initdb" "$data" "$BO_PG_DB_USER" "$(_bo_pg_locale)" || return 1
  _bo_pg_hba | bo_as "$user" tee "$data/pg_hba.conf" >/dev/null
}

# _bo_pg_ensure_db PORT SECRETS DB: DB exists and belongs to the owner role. A database of
# an older deploy/ (the superuser's) is handed to the owner role with its tables and functions.
_bo_pg_ensure_db() {
  local port="$1" secrets="$2" db="$3" owner
  owner="$(_bo_psql "$port" "$secrets" postgres -t -A \
    -c "select pg_get_userbyid(datdba) from pg_database where datname = '$db'")" || return 1
  [[ $owner == "$BO_PG_OWNER" ]] && return 0
  if [[ -z $owner ]]; then
    bo_log "creating database $db (owner $BO_PG_OWNER)"
    _bo_psql "$port" "$secrets" postgres -c "create database \"$db\" owner \"$BO_PG_OWNER\"" >&2
    return
  fi
  bo_log "handing database $db from $owner to $BO_PG_OWNER"
  _bo_psql "$port" "$secrets" "$db" -f - >&2 <<EOF
ALTER DATABASE "$db" OWNER TO "$BO_PG_OWNER";
DO \$\$ DECLARE r record; BEGIN
  FOR r IN SELECT oid::regclass AS t FROM pg_class
           WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') LOOP
    EXECUTE format('ALTER TABLE %s OWNER TO $BO_PG_OWNER', r.t);
  END LOOP;
  FOR r IN SELECT oid::regprocedure AS f FROM pg_proc
           WHERE pronamespace = 'public'::regnamespace LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO $BO_PG_OWNER', r.f);
  END LOOP;
END \$\$;
EOF
}

# ---------------------------------------------------------------------------------------
# PostgreSQL credentials (docs/operations.md, "Database roles"): one pgpass file per role,
# SECRETS/ROLE.pgpass, one line `*:*:*:ROLE:PASSWORD`, mode 600 in a 700 directory of the
# user running the scripts. Passwords are 48 random hex digits; they never appear in argv
# (printf is a builtin), logs or stamps, and PostgreSQL only ever receives SCRAM verifiers.

# bo_conninfo PORT DB ROLE SECRETS: a libpq conninfo for ROLE, its password in its pgpass file.
bo_conninfo() {
  local pass="$4/$3.pgpass"
  pass="${pass//\\/\\\\}"
  printf "host=127.0.0.1 port=%s dbname=%s user=%s passfile='%s'\n" "$1" "$2" "$3" \
    "${pass//\'/\\\'}"
}

# bo_pg_passfile SECRETS ROLE: prints ROLE's pgpass file, made with a new password if missing.
bo_pg_passfile() {
  local dir="$1" role="$2" file
  file="$dir/$role.pgpass"
  if [[ ! -s $file ]]; then
    (umask 077 && mkdir -p -- "$dir") || return 1
    (umask 077 && printf '*:*:*:%s:%s\n' "$role" "$(_bo_random_hex 24)" >"$file.tmp") ||
      return 1
    mv -f -- "$file.tmp" "$file" || return 1
  fi
  chmod 700 -- "$dir" && chmod 600 -- "$file" || return 1
  printf '%s\n' "$file"
}

# bo_pg_rotate PORT SECRETS ROLE: gives ROLE a new random password, first in the running
# cluster (as the superuser, with its current file), then in ROLE's pgpass file. Clients
# connecting afterwards need the new file; open connections stay open.
bo_pg_rotate() {
  local port="$1" secrets="$2" role="$3" file verifier
  file="$secrets/$role.pgpass"
  [[ -s $file ]] || { bo_log "error: no password file $file"; return 1; }
  (umask 077 && printf '*:*:*:%s:%s\n' "$role" "$(_bo_random_hex 24)" >"$file.new") || return 1
  verifier="$(_bo_pg_verifier <"$file.new")" || return 1
  printf 'ALTER ROLE "%s" PASSWORD '\''%s'\'';\n' "$role" "$verifier" |
    _bo_psql "$port" "$secrets" postgres -f - >&2 || { rm -f -- "$file.new"; return 1; }
  mv -f -- "$file.new" "$file"
  bo_log "new password for $role in $file"
}

_bo_random_hex() {
  od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'
}

# _bo_pg_verifier < PGPASS_FILE: a SCRAM-SHA-256 verifier of the password (RFC 5802 and
# 7677, the form PostgreSQL stores), so that the password itself never reaches the server.
_bo_pg_verifier() {
  # shellcheck disable=SC2016 # Python, not shell
  python3 -c '
import base64, hashlib, hmac, os, sys
password = sys.stdin.readline().rstrip("\n").split(":", 4)[4].encode()
salt, rounds = os.urandom(16), 4096
salted = hashlib.pbkdf2_hmac("sha256", password, salt, rounds)
client = hmac.new(salted, b"Client Key", "sha256").digest()
server = hmac.new(salted, b"Server Key", "sha256").digest()
b64 = lambda b: base64.b64encode(b).decode()
print(f"SCRAM-SHA-256${rounds}:{b64(salt)}${b64(hashlib.sha256(client).digest())}:{b64(server)}")'
}

# _bo_psql PORT SECRETS DB [PSQL_ARGS...]: psql as the superuser with its pgpass file,
# never prompting, stopping at the first error.
_bo_psql() {
  local port="$1" secrets="$2" db="$3" bin
  shift 3
  bin="$(bo_pg_bin)" || return 1
  PGPASSFILE="$secrets/$BO_PG_DB_USER.pgpass" "$bin/psql" -X -q -w -v ON_ERROR_STOP=1 \
    -h 127.0.0.1 -p "$port" -U "$BO_PG_DB_USER" -d "$db" "$@"
}

# _bo_pg_set_password PORT SECRETS ROLE: gives ROLE the password of its pgpass file.
_bo_pg_set_password() {
  local file verifier
  file="$(bo_pg_passfile "$2" "$3")" || return 1
  verifier="$(_bo_pg_verifier <"$file")" || return 1
  printf 'ALTER ROLE "%s" PASSWORD '\''%s'\'';\n' "$3" "$verifier" |
    _bo_psql "$1" "$2" postgres -f - >&2
}

# _bo_pg_roles PORT SECRETS: the owner and application roles exist, log in with the
# passwords of their pgpass files, and hold no cluster-wide privilege.
_bo_pg_roles() {
  local port="$1" secrets="$2" role
  for role in "$BO_PG_OWNER" "$BO_PG_APP"; do
    printf '%s\n' \
      "SELECT 'CREATE ROLE \"$role\"' WHERE NOT EXISTS" \
      "  (SELECT 1 FROM pg_roles WHERE rolname = '$role')" \
      '\gexec' \
      "ALTER ROLE \"$role\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;" |
      _bo_psql "$port" "$secrets" postgres -f - >&2 || return 1
    _bo_pg_set_password "$port" "$secrets" "$role" || return 1
  done
}

# _bo_pg_hba: the cluster's whole pg_hba.conf.
_bo_pg_hba() {
  printf '%s\n' "# bidopen (deploy/lib.sh): TCP on 127.0.0.1 only; every role needs its SCRAM password." \
    "# TYPE  DATABASE  USER  ADDRESS       METHOD" \
    "host    all       all   127.0.0.1/32  scram-sha-256"
}

# _bo_pg_require_passwords USER DATADIR PORT SECRETS: replaces the pg_hba.conf of a cluster
# made by an older deploy/ (trust authentication) once its superuser has a password.
_bo_pg_require_passwords() {
  local user="$1" data="$2" port="$3" secrets="$4"
  [[ "$(bo_as "$user" cat "$data/pg_hba.conf")" != "$(_bo_pg_hba)" ]] || return 0
  bo_log "cluster $data does not require passwords: setting them and requiring SCRAM"
  _bo_pg_set_password "$port" "$secrets" "$BO_PG_DB_USER" || return 1
  _bo_pg_hba | bo_as "$user" tee "$data/pg_hba.conf" >/dev/null || return 1
  bo_as "$user" "$(bo_pg_bin)/pg_ctl" -D "$data" reload >/dev/null
}

# bo_pg_start DATADIR PORT LOGFILE SECRETS: initialises DATADIR if needed, starts the
# cluster on 127.0.0.1:PORT (no Unix socket) unless it already runs, sets up the roles
# (passwords in SECRETS, see bo_pg_passfile), creates database bidopen owned by the owner
# role, and prints the port. As root the cluster belongs to and runs as user postgres.
bo_pg_start() {
  local data port log secrets user bin
  data="$(bo_abs "${1:?usage: bo_pg_start DATADIR PORT LOGFILE SECRETS}")"
  port="${2:?usage: bo_pg_start DATADIR PORT LOGFILE SECRETS}"
  log="$(bo_abs "${3:?usage: bo_pg_start DATADIR PORT LOGFILE SECRETS}")"
  secrets="$(bo_abs "${4:?usage: bo_pg_start DATADIR PORT LOGFILE SECRETS}")"
  bin="$(bo_pg_bin)" || return 1
  user="$(_bo_pg_owner "$data")"
  if _bo_pg_running "$user" "$data"; then
    port="$(bo_as "$user" sed -n 4p "$data/postmaster.pid")"
    bo_log "cluster $data already running on port $port"
  else
    _bo_pg_prepare "$user" "$data" "$log" || return 1
    if ! bo_as "$user" test -f "$data/PG_VERSION"; then
      _bo_pg_initdb "$user" "$data" "$secrets" || return 1
    fi
    bo_log "starting cluster $data on 127.0.0.1:$port (as $user, log $log)"
    if ! bo_as "$user" "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 -o \
      "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='' -c password_encryption=scram-sha-256" \
      start >&2; then
      bo_log "error: PostgreSQL did not start; last lines of $log:"
      tail -n 20 -- "$log" >&2 || true
      return 1
    fi
  fi
  _bo_pg_require_passwords "$user" "$data" "$port" "$secrets" || return 1
  _bo_pg_roles "$port" "$secrets" || return 1
  _bo_pg_ensure_db "$port" "$secrets" bidopen || return 1
  printf '%s\n' "$port"
}

# bo_pg_stop DATADIR: fast shutdown if the cluster runs.
bo_pg_stop() {
  local data user
  data="$(bo_abs "${1:?usage: bo_pg_stop DATADIR}")"
  [[ -d $data ]] || return 0
  user="$(_bo_pg_owner "$data")"
  _bo_pg_running "$user" "$data" || return 0
  bo_log "stopping cluster $data"
  bo_as "$user" "$(bo_pg_bin)/pg_ctl" -D "$data" -m fast -w -t 60 stop >&2
}

# ---------------------------------------------------------------------------------------
# The OS user bidopend runs as

# bo_service_user: prints the user bidopend runs as: BO_SERVICE_USER, a system user with no
# login and no home, created if missing, when we are root; else ourselves.
bo_service_user() {
  if [[ $(id -u) -ne 0 ]]; then
    id -un
    return 0
  fi
  if ! id -u "$BO_SERVICE_USER" >/dev/null 2>&1; then
    bo_log "creating system user $BO_SERVICE_USER (runs bidopend)"
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$BO_SERVICE_USER" >&2 ||
      id -u "$BO_SERVICE_USER" >/dev/null 2>&1 || return 1 # made meanwhile by another run
  fi
  printf '%s\n' "$BO_SERVICE_USER"
}

# bo_can_reach USER PATH: true if USER can enter every directory on the way to PATH.
bo_can_reach() {
  _bo_pg_check_traverse "$1" "$(dirname "$2")" 2>/dev/null
}
