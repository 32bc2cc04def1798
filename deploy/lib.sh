# shellcheck shell=bash
# deploy/lib.sh — helpers shared by the deploy scripts. Source it; do not run it.
#
# The caller sets `set -euo pipefail`. Functions that other scripts capture with $(...)
# (bo_root, bo_pg_bin, bo_free_port, bo_conninfo, bo_pg_start) print their result on
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
  tzdata procps iproute2
  python3 python3-cryptography
)

BO_PG_DB_USER=bidopen # the cluster's superuser (initdb --username)
BO_PG_SYSTEM_USER=postgres # runs the cluster when we are root

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

# bo_conninfo PORT [DB=bidopen]
bo_conninfo() {
  printf 'host=127.0.0.1 port=%s user=%s dbname=%s\n' "$1" "$BO_PG_DB_USER" "${2:-bidopen}"
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

# _bo_pg_initdb USER DATADIR
_bo_pg_initdb() {
  local user="$1" data="$2"
  if [[ -n $(bo_as "$user" find "$data" -mindepth 1 -maxdepth 1 -print -quit) ]]; then
    bo_log "error: $data is not empty but has no PG_VERSION; remove it or pick another directory"
    return 1
  fi
  bo_log "initdb $data (as $user)"
  bo_as "$user" "$(bo_pg_bin)/initdb" -D "$data" --username="$BO_PG_DB_USER" --auth=trust \
    --encoding=UTF8 --locale="$(_bo_pg_locale)" --no-instructions >/dev/null
}

# _bo_pg_ensure_db PORT DB
_bo_pg_ensure_db() {
  local psql found
  psql="$(bo_pg_bin)/psql" || return 1
  found="$("$psql" -X -q -t -A -h 127.0.0.1 -p "$1" -U "$BO_PG_DB_USER" -d postgres \
    -c "select 1 from pg_database where datname = '$2'")" || return 1
  [[ $found == 1 ]] && return 0
  bo_log "creating database $2"
  "$psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U "$BO_PG_DB_USER" -d postgres \
    -c "create database \"$2\"" >&2
}

# bo_pg_start DATADIR PORT LOGFILE: initialises DATADIR if needed, starts the cluster on
# 127.0.0.1:PORT (no Unix socket) unless it already runs, creates database bidopen, and
# prints the conninfo. As root the cluster belongs to and runs as user postgres.
bo_pg_start() {
  local data port log user bin
  data="$(bo_abs "${1:?usage: bo_pg_start DATADIR PORT LOGFILE}")"
  port="${2:?usage: bo_pg_start DATADIR PORT LOGFILE}"
  log="$(bo_abs "${3:?usage: bo_pg_start DATADIR PORT LOGFILE}")"
  bin="$(bo_pg_bin)" || return 1
  user="$(_bo_pg_owner "$data")"
  if _bo_pg_running "$user" "$data"; then
    port="$(bo_as "$user" sed -n 4p "$data/postmaster.pid")"
    bo_log "cluster $data already running on port $port"
  else
    _bo_pg_prepare "$user" "$data" "$log" || return 1
    if ! bo_as "$user" test -f "$data/PG_VERSION"; then
      _bo_pg_initdb "$user" "$data" || return 1
    fi
    bo_log "starting cluster $data on 127.0.0.1:$port (as $user, log $log)"
    if ! bo_as "$user" "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 -o \
      "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=''" \
      start >&2; then
      bo_log "error: PostgreSQL did not start; last lines of $log:"
      tail -n 20 -- "$log" >&2 || true
      return 1
    fi
  fi
  _bo_pg_ensure_db "$port" bidopen || return 1
  bo_conninfo "$port"
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
