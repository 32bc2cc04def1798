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
