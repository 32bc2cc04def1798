#!/usr/bin/env bash
# bench/run_seal.sh [BENCH_ARGS...] — sealing throughput against `openssl speed` (bench/README.md).
#
# Builds seal_bench (Release, only that target), then BIDOPEN_BENCH_RUNS times (default 3):
# `openssl speed` for AES-256-GCM and for SHA-256 at the sealer's chunk size, seal_bench, and
# the ratio of each sealing rate to the combined bound 1/(1/aes + 1/sha) of that same run.
# Prints the median of every `name value unit` line over the runs, with each run's value.
# The benchmark's document and sealed file go to var/bench-seal-<pid>/ (removed afterwards,
# also on failure or Ctrl-C). Extra arguments go to every seal_bench run, e.g.
# `--mib=256 --runs=3`; `--chunk=N` also sets openssl's -bytes.
# Output, each run's raw lines and the medians, is also kept in var/bench-results/.
# Env: BIDOPEN_JOBS (build -j, default 2), BIDOPEN_BENCH_SKIP_BUILD=1 (use the existing
# binary in build/), BIDOPEN_BENCH_RUNS, BIDOPEN_BENCH_OPENSSL_SECONDS (default 3).
set -euo pipefail
shopt -s inherit_errexit
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/../deploy/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly ROOT="$BO_ROOT"
readonly BUILD="$ROOT/build"
readonly BENCH="$BUILD/bench/seal_bench"
readonly WORK_DIR="$ROOT/var/bench-seal-$$"
OUT_DIR="$ROOT/var/bench-results/seal-$(date -u +%Y%m%dT%H%M%SZ)"
readonly OUT_DIR
readonly RUNS="${BIDOPEN_BENCH_RUNS:-3}"
readonly OPENSSL_SECONDS="${BIDOPEN_BENCH_OPENSSL_SECONDS:-3}"
readonly TARGET=0.9

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  rm -rf -- "$WORK_DIR"
  exit "$rc"
}

# Configures like bo_build, but builds the benchmark alone.
build() {
  local jobs="${BIDOPEN_JOBS:-2}"
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
  cmake --build "$BUILD" -j "$jobs" --target seal_bench
}

# The chunk size seal_bench will use: its --chunk argument, else kDefaultChunkSize.
chunk_size() {
  local arg chunk=65536
  for arg in "$@"; do
    [[ $arg == --chunk=* ]] && chunk="${arg#--chunk=}"
  done
  printf '%s\n' "$chunk"
}

environment() {
  printf '# date %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  printf '# commit %s%s\n' "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
    "$([[ -z $(git -C "$ROOT" status --porcelain 2>/dev/null) ]] || echo ' (with uncommitted changes)')"
  printf '# nproc %s\n' "$(nproc)"
  printf '# cpu %s\n' "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
  printf '# cpu flags %s\n' "$(grep -m 1 -o -w -E 'aes|vaes|vpclmulqdq|sha_ni|avx2|avx512f' \
    /proc/cpuinfo | sort -u | tr '\n' ' ')"
  printf '# memory %s\n' "$(free -h | awk '/^Mem:/ { print $2 }')"
  printf '# %s\n' "$(openssl version)"
  printf '# load average before the runs: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
}

# openssl_rate ALGORITHM CHUNK: bytes/s of `openssl speed -evp` at that block size, in MB/s.
openssl_rate() {
  local out
  out="$(openssl speed -mr -evp "$1" -bytes "$2" -seconds "$OPENSSL_SECONDS" 2>/dev/null)" ||
    bo_die "openssl speed -evp $1 failed"
  awk -F: '/^\+F:/ { printf "%.6g\n", $NF / 1e6; found = 1 } END { exit !found }' <<<"$out" ||
    bo_die "no +F: line in the output of openssl speed -evp $1"
}

# ratios: the sealing rates among the `name value unit` lines on stdin against the bound
# from openssl's rates among them.
ratios() {
  awk '
    NF == 3 { v[$1] = $2 }
    END {
      bound = 1 / (1 / v["openssl_aes256gcm_mbps"] + 1 / v["openssl_sha256_mbps"])
      printf "openssl_bound_mbps %.6g MB/s\n", bound
      n = split("seal_writer seal_writer_unaligned seal_bid seal_bid_unhashed seal_bid_file seal_bid_file_in_place check_bid_file", names, " ")
      for (i = 1; i <= n; i++)
        if ((names[i] "_mbps") in v)
          printf "%s_vs_openssl_bound %.6g ratio\n", names[i], v[names[i] "_mbps"] / bound
    }'
}

# one_run CHUNK BENCH_ARGS...: openssl speed twice, seal_bench, the ratios; `name value unit`.
one_run() {
  local chunk="$1" aes sha lines
  shift
  aes="$(openssl_rate aes-256-gcm "$chunk")"
  sha="$(openssl_rate sha256 "$chunk")"
  lines="$(
    printf 'openssl_aes256gcm_mbps %s MB/s\nopenssl_sha256_mbps %s MB/s\n' "$aes" "$sha"
    "$BENCH" --dir="$WORK_DIR" "$@"
  )"
  printf '%s\n' "$lines"
  ratios <<<"$lines"
}

# verdict MEDIANS_FILE: the target line for each ratio to the openssl bound.
verdict() {
  awk -v target="$TARGET" '$1 ~ /_vs_openssl_bound$/ {
    printf "# %s: %s (target >= %s: %s)\n", $1, $2, target, ($2 >= target ? "met" : "NOT met")
  }' "$1"
}

main() {
  local i chunk
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  command -v openssl >/dev/null || bo_die "openssl (the command) is needed for the baseline"
  if [[ ${BIDOPEN_BENCH_SKIP_BUILD:-} != 1 ]]; then
    build >&2
  fi
  [[ -x $BENCH ]] || bo_die "$BENCH is missing; build it (cmake --build build --target seal_bench)"
  chunk="$(chunk_size "$@")"
  install -d -m 755 "$ROOT/var" "$WORK_DIR" "$OUT_DIR"
  environment | tee "$OUT_DIR/environment.txt"
  for ((i = 1; i <= RUNS; i++)); do
    bo_log "run $i of $RUNS"
    one_run "$chunk" "$@" | tee "$OUT_DIR/run$i.txt"
  done
  printf '\n# medians of %s runs\n' "$RUNS"
  medians "$OUT_DIR"/run*.txt | tee "$OUT_DIR/medians.txt"
  verdict "$OUT_DIR/medians.txt" | tee -a "$OUT_DIR/medians.txt"
  bo_log "results kept in $OUT_DIR"
}

main "$@"
