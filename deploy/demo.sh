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

demo() {
  echo "demo: (filled in by the C++ engineer)"
}
