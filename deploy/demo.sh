# shellcheck shell=bash
# deploy/demo.sh — sourced by deploy/quickstart.sh after bidopend is up; defines `demo`.
#
# demo runs with `set -euo pipefail`, cwd unspecified (use absolute paths), and these
# environment variables exported:
#   BIDCTL          absolute path of build/client/bidctl
#   BIDOPEN_SERVER  127.0.0.1:PORT of the running bidopend
#   BIDOPEN_PKI     absolute path of var/pki (ca.crt, server.crt, <identity>.crt/.key for
#                   agency1 bidder1 bidder2 bidder3 custodian1 custodian2 custodian3
#                   supervisor1 auditor1)
#   BIDOPEN_VAR     absolute path of var/ (scratch space: put demo files under it)
#   BIDOPEN_CONFIG_DIR  var/bidctl, holding bidctl profiles named after the identities
#                   (bidctl -p bidder1 ...), saved by quickstart just before demo runs
# It runs on every `quickstart.sh start` (skipped when BIDOPEN_NO_DEMO=1), so it must
# cope with data left by an earlier run. A non-zero return fails quickstart.

# demo_step TEXT: a heading for each step, so a newcomer can follow along.
demo_step() { printf '\n--- demo: %s\n' "$1"; }

# demo_json_get EXPR: reads JSON on stdin and prints python3's EXPR of it (as `d`).
demo_json_get() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# demo_wait_opened ID N: until N bids of lot 1 opened (30 s at most).
demo_wait_opened() {
  local i n
  for ((i = 0; i < 60; i++)); do
    n="$("$BIDCTL" -p auditor1 --json opening status "$1/1" |
      demo_json_get "d['lot_state'].get('opening', {}).get('opened', 0)")"
    ((n >= $2)) && return 0
    sleep 0.5
  done
  echo "demo: only $n of $2 bids opened after 30 s" >&2
  return 1
}

demo() {
  local id deadline pids=() p3 seq3 out="$BIDOPEN_VAR/demo"
  rm -rf -- "$out" && mkdir -p -- "$out/new-pc"
  demo_step "custodians register their X25519 keys and one-time per-lot keys; bidders theirs"
  for c in custodian1 custodian2 custodian3 bidder1 bidder2 bidder3; do
    "$BIDCTL" -p "$c" identity register-key >/dev/null
  done
  "$BIDCTL" -p agency1 identity keys --role custodian

  # Deadline and opening 45 s ahead (quickstart's bidopend allows it: --min-lead-time 10).
  deadline="$(TZ=Asia/Shanghai date -d '+45 seconds' '+%Y-%m-%dT%H:%M:%S')"
  demo_step "the agency creates a lot: deadline and opening at $deadline (Asia/Shanghai),
    policy ANY (the bidder's key, or 2 of 3 custodians), started by the server itself"
  id="$("$BIDCTL" -p agency1 --json tender create \
    --title "Municipal road resurfacing 2027" --reference "ZB-DEMO-$(date +%s)" \
    --timezone Asia/Shanghai --lot-title "Section A: Ring Road km 0-12" \
    --deadline "$deadline" --opening "$deadline" --window 3m --min-bids 3 --confirm-window 15s \
    --field price:decimal:CNY --field duration_days:int --policy ANY \
    --custodian "Custodian One" --custodian "Custodian Two" --custodian "Custodian Three" \
    --threshold 2 --auto-start | demo_json_get "d['id']")"
  [[ $id == T-* ]] || { echo "demo: tender create printed no id" >&2; return 1; }

  demo_step "three bidders seal their bids on their own machines and submit them"
  local i prices=(0 1234567.50 1198000 1250000.80)
  for i in 1 2 3; do
    printf 'Technical offer of bidder%s for %s\n' "$i" "$id" >"$out/offer$i.txt"
    "$BIDCTL" -p "bidder$i" bid seal --tender "$id" --form "price=${prices[i]}" \
      --form duration_days=180 --doc "$out/offer$i.txt" -o "$out/bid$i.sealed" >/dev/null
    "$BIDCTL" -p "bidder$i" bid submit "$out/bid$i.sealed" -o "$out/bid$i.receipt" | tail -n 2
  done

  # A supervisor follows the whole opening live (a line per event when not on a terminal;
  # on a terminal `bidctl opening watch` redraws one view in place). It exits at the close.
  timeout 240 "$BIDCTL" -p supervisor1 opening watch "$id/1" >"$out/watch.log" 2>&1 &
  local watcher=$!

  demo_step "custodians and two bidders wait for the opening, connected (--at-open);
    bidder3 lost its key (a new computer without it): its bid must open through the custodians"
  for c in custodian1 custodian2 custodian3; do
    timeout 150 "$BIDCTL" -p "$c" custody release "$id/1" --at-open >"$out/$c.log" 2>&1 &
    pids+=($!)
  done
  for i in 1 2; do
    timeout 150 "$BIDCTL" -p "bidder$i" opening decrypt "$id/1" --at-open \
      >"$out/bidder$i.log" 2>&1 &
    pids+=($!)
  done
  cp -- "$BIDOPEN_CONFIG_DIR/profiles.toml" "$out/new-pc/"
  BIDOPEN_CONFIG_DIR="$out/new-pc" timeout 150 "$BIDCTL" -p bidder3 opening decrypt "$id/1" \
    --at-open >"$out/bidder3.log" 2>&1 &
  p3=$!
  "$BIDCTL" -p auditor1 opening status "$id/1" | head -n 4
  for p in "${pids[@]}"; do
    wait "$p" || { echo "demo: a release failed:" >&2; tail -n 3 "$out"/*.log >&2; return 1; }
  done
  tail -n 1 "$out/custodian1.log" "$out/bidder1.log"
  if wait "$p3"; then
    echo "demo: bidder3 released without its key" >&2
    return 1
  fi
  echo "bidder3 (expected to fail): $(tail -n 1 "$out/bidder3.log")"

  demo_step "the bidders sign in to the opening hall (签到) while decryption goes on"
  for i in 1 2 3; do "$BIDCTL" -p "bidder$i" opening sign-in "$id/1"; done

  demo_step "every bid opened; the agency ends decryption early: the verdicts, and the server
    announces the results (唱标) in the same commit"
  demo_wait_opened "$id" 3
  "$BIDCTL" -p agency1 opening end "$id/1" | tail -n 12

  demo_step "bidder1 recomputes the announcement from the verified log and confirms it by
    signing its hash; bidder2 objects (异议) and the agency answers on the spot"
  "$BIDCTL" -p bidder1 opening confirm "$id/1"
  local objection
  objection="$("$BIDCTL" -p bidder2 --json opening object "$id/1" \
    --text "Please confirm our duration of 180 days was read from the sealed bid" |
    demo_json_get "d['seq']")"
  echo "bidder2 objected: objection $objection"
  "$BIDCTL" -p agency1 opening answer "$id/1" "$objection" \
    --text "The duration announced is the value sealed in your bid; its commitment opens"
  "$BIDCTL" -p bidder3 opening confirm "$id/1" | tail -n 1

  demo_step "after the confirmation window the agency closes the opening: the record (开标记录表),
    signed by the log key with the tree head at close, checked against the verified log"
  local until_s
  until_s="$("$BIDCTL" -p auditor1 --json opening status "$id/1" |
    demo_json_get "d['lot_state']['hall']['confirm_until']")"
  while (($(date +%s) <= $(date -d "$until_s" +%s))); do sleep 0.5; done
  "$BIDCTL" -p agency1 opening close "$id/1" --html "$out/record.html"
  "$BIDCTL" -p bidder2 opening record "$id/1" | head -n 3
  wait "$watcher" || { echo "demo: the supervisor's watch failed:" >&2; tail -n 5 "$out/watch.log" >&2; return 1; }
  echo "the supervisor's live watch saw $(grep -c '  log #' "$out/watch.log" || true) events and ended at the close;"
  echo "its last lines ($out/watch.log):"
  tail -n 4 "$out/watch.log"

  seq3="$("$BIDCTL" -p agency1 --json opening status "$id/1" | demo_json_get \
    "[b['seq'] for b in d['lot_state']['bids'] if b['opening']['bidder']['organization'] == 'Gamma Builders Inc'][0]")"
  demo_step "the agency fetches bidder3's documents, each checked against its SHA-256"
  "$BIDCTL" -p agency1 bid fetch "$id/1" "$seq3" -o "$out/fetched"

  demo_step "an auditor fetches the tender's events with proofs and checks them offline:
    every announced value against the header its bidder signed before the deadline"
  "$BIDCTL" -p auditor1 audit fetch "$id" -o "$out/bundle.json"
  "$BIDCTL" -p auditor1 audit verify "$out/bundle.json"
  if [[ "$("$BIDCTL" -p auditor1 --json audit replay "$out/bundle.json")" != \
    "$("$BIDCTL" -p auditor1 --json tender show "$id")" ]]; then
    echo "demo: the replayed tender differs from the server's" >&2
    return 1
  fi
  echo "replaying the verified events gives the same tender, verdicts and values, as the server shows"

  demo_step "the auditor re-runs bidder3's verdict offline from the sealed file and the releases"
  "$BIDCTL" -p auditor1 audit check-bid "$id/1" "$seq3" -o "$out/evidence"

  echo
  echo "demo: tender $id opened remotely: three bids decrypted (one through 2 of 3 custodians),"
  echo "      results announced, confirmed and objected to, the objection answered, the opening"
  echo "      closed with its signed record ($out/record.html), and all of it verified by an"
  echo "      auditor from the log: values tied to their sealed headers, the record recomputed."
}
