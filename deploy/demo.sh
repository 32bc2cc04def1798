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

demo() {
  local deadline opening id
  demo_step "custodians register their X25519 key-wrapping keys (kept in \$BIDOPEN_CONFIG_DIR/keys)"
  for c in custodian1 custodian2 custodian3; do
    "$BIDCTL" -p "$c" identity register-key
  done

  demo_step "the agency sees who it can name as custodians"
  "$BIDCTL" -p agency1 identity keys --role custodian

  # Deadline a week ahead, opening at the deadline, in the tender's own time zone.
  deadline="$(TZ=Asia/Shanghai date -d '+7 days' '+%Y-%m-%d 09:30')"
  opening="$deadline"
  demo_step "the agency creates a tender: one lot, opening form price + duration, 2 of 3 custodians"
  id="$("$BIDCTL" -p agency1 --json tender create \
    --title "Municipal road resurfacing 2027" --reference "ZB-DEMO-$(date +%s)" \
    --timezone Asia/Shanghai --lot-title "Section A: Ring Road km 0-12" \
    --deadline "$deadline" --opening "$opening" --window 30m --min-bids 3 \
    --field price:decimal:CNY --field duration_days:int --field warranty_years:int \
    --policy ANY --custodian "Custodian One" --custodian "Custodian Two" \
    --custodian "Custodian Three" --threshold 2 |
    sed -n 's/^ *"id": "\(T-[0-9A-Z]*\)".*/\1/p' | head -n 1)"
  [[ -n $id ]] || { echo "demo: tender create printed no id" >&2; return 1; }

  demo_step "a bidder looks at the tender (times in Asia/Shanghai)"
  "$BIDCTL" -p bidder1 tender show "$id"

  demo_step "a bidder may not create tenders (PERMISSION_DENIED is expected here)"
  if "$BIDCTL" -p bidder1 tender create --title x --deadline "$deadline" \
    --field price:decimal --policy BIDDER; then
    echo "demo: a bidder was allowed to create a tender" >&2
    return 1
  fi

  demo_step "the agency postpones the lot, with a reason (kept in the log)"
  "$BIDCTL" -p agency1 tender amend "$id" \
    --deadline "$(TZ=Asia/Shanghai date -d '+8 days' '+%Y-%m-%d 09:30')" \
    --reason "Addendum 1: revised bill of quantities" | sed -n '/amended/p'

  demo_step "a bidder seals its bid on its own machine"
  "$BIDCTL" -p bidder1 identity register-key >/dev/null
  printf 'Technical offer for %s\n' "$id" >"$BIDOPEN_VAR/demo-offer.txt"
  "$BIDCTL" -p bidder1 bid seal --tender "$id" --form price=1234567.50 \
    --form duration_days=180 --form warranty_years=5 --doc "$BIDOPEN_VAR/demo-offer.txt" \
    -o "$BIDOPEN_VAR/demo-bid.sealed"

  demo_step "the bidder uploads the sealed bid (resumable) and gets a receipt signed by the log key"
  "$BIDCTL" -p bidder1 bid submit "$BIDOPEN_VAR/demo-bid.sealed" -o "$BIDOPEN_VAR/demo-bid.receipt"

  demo_step "the bidder checks its receipt: the log key's signature and the Merkle inclusion proof"
  "$BIDCTL" -p bidder1 receipt verify "$BIDOPEN_VAR/demo-bid.receipt"

  demo_step "all tenders"
  "$BIDCTL" -p auditor1 tender list

  demo_step "an auditor checks the signed tree head (remembered for next time)"
  "$BIDCTL" -p auditor1 audit head

  demo_step "the auditor fetches the tender's events with Merkle proofs, then checks them offline"
  "$BIDCTL" -p auditor1 audit fetch "$id" -o "$BIDOPEN_VAR/demo-bundle.json"
  "$BIDCTL" -p auditor1 audit verify "$BIDOPEN_VAR/demo-bundle.json"

  demo_step "replaying the verified events gives the same tender the server shows"
  if [[ "$("$BIDCTL" -p auditor1 --json audit replay "$BIDOPEN_VAR/demo-bundle.json")" != \
    "$("$BIDCTL" -p auditor1 --json tender show "$id")" ]]; then
    echo "demo: the replayed tender differs from the server's" >&2
    return 1
  fi
  echo "replayed tender $id equals the server's view"
  echo
  echo "demo: tender $id created, postponed, a bid sealed, submitted with a verified receipt,"
  echo "      and the log audited. The live opening comes with the next issues (see README.md)."
}
