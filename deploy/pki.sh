#!/usr/bin/env bash
# deploy/pki.sh — development PKI for bidopen (openssl CLI, ECDSA P-256, SHA-256).
#
#   deploy/pki.sh init DIR                  CA + server + the standard client identities
#   deploy/pki.sh ca DIR [CN]               only a CA (e.g. a second, foreign CA for tests)
#   deploy/pki.sh issue DIR ROLE NAME ORG   one more client identity from DIR's CA
#
# Files: DIR/ca.crt ca.key, DIR/server.crt server.key, DIR/log.crt log.key (the audit
# log's signing key), DIR/<name>.crt <name>.key.
# Keys are PKCS#8 PEM, mode 600. Every command is idempotent: a file set that exists,
# matches its subject and verifies against DIR/ca.crt is kept; anything else is (re)issued.
# NOT for production: the CA key sits next to the certificates, unencrypted.
set -euo pipefail
shopt -s inherit_errexit

readonly CA_CN_DEFAULT="bidopen development CA"
readonly CA_ORG="bidopen dev"
readonly CA_DAYS=3650
readonly LEAF_DAYS=825
readonly LOG_SIGNING_OID=2.25.178512874680218804694869376594600014289

# name|role|organisation
readonly IDENTITIES=(
  "agency1|agency|Example Procurement Agency"
  "bidder1|bidder|Alpha Construction Co"
  "bidder2|bidder|Beta Engineering Ltd"
  "bidder3|bidder|Gamma Builders Inc"
  "custodian1|custodian|Custodian One"
  "custodian2|custodian|Custodian Two"
  "custodian3|custodian|Custodian Three"
  "supervisor1|supervisor|Municipal Supervision Office"
  "auditor1|auditor|Independent Audit LLP"
  "operator1|operator|bidopen Platform Operations"
)

log() { printf 'pki: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
  sed -n '4,6s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 2
}

# Escapes a value for `openssl -subj` (/ and \ are special there).
subj_value() {
  local v="${1//\\/\\\\}"
  printf '%s' "${v//\//\\/}"
}

write_config() {
  cat >"$WORK/openssl.cnf" <<'EOF'
[ req ]
distinguished_name = dn
[ dn ]
[ v3_ca ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_server ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
[ v3_log ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
# "bidopen log signing" (core/crypto/log_certificate.h): a UUID-based OID
# (ITU-T X.667), and no serverAuth/clientAuth, so the log certificate cannot
# serve TLS. bidopend and bidctl refuse a log certificate without it.
extendedKeyUsage = critical, 2.25.178512874680218804694869376594600014289
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
[ v3_client ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
EOF
}

new_key() {
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
    -pkeyopt ec_param_enc:named_curve -out "$1" 2>/dev/null
  chmod 600 "$1"
}

serial() { printf '0x%s' "$(openssl rand -hex 16)"; }

# key_matches KEY CRT
key_matches() {
  [[ -f $1 && -f $2 ]] || return 1
  [[ "$(openssl pkey -in "$1" -pubout 2>/dev/null)" == \
    "$(openssl x509 -in "$2" -noout -pubkey 2>/dev/null)" ]]
}

# subject_matches KEY CRT SUBJ: the certificate's subject equals SUBJ (-subj syntax).
subject_matches() {
  local want have
  want="$(openssl req -new -key "$1" -subj "$3" -config "$WORK/openssl.cnf" 2>/dev/null |
    openssl req -noout -subject -nameopt RFC2253)" || return 1
  have="$(openssl x509 -in "$2" -noout -subject -nameopt RFC2253)" || return 1
  [[ $want == "$have" ]]
}

# install_pair TMPKEY TMPCRT DEST_PREFIX: moves a fresh pair into place.
install_pair() {
  chmod 644 "$2"
  mv -f "$1" "$3.key"
  mv -f "$2" "$3.crt"
}

# ensure_ca DIR CN
ensure_ca() {
  local dir="$1" cn="$2" subj
  subj="/CN=$(subj_value "$cn")/O=$(subj_value "$CA_ORG")"
  if key_matches "$dir/ca.key" "$dir/ca.crt" &&
    openssl verify -CAfile "$dir/ca.crt" "$dir/ca.crt" >/dev/null 2>&1; then
    return 0
  fi
  [[ ! -e $dir/ca.crt ]] || log "existing CA in $dir is unusable; making a new one"
  log "creating CA '$cn' in $dir"
  new_key "$WORK/ca.key"
  openssl req -x509 -new -sha256 -key "$WORK/ca.key" -subj "$subj" -days "$CA_DAYS" \
    -set_serial "$(serial)" -config "$WORK/openssl.cnf" -extensions v3_ca \
    -out "$WORK/ca.crt"
  install_pair "$WORK/ca.key" "$WORK/ca.crt" "$dir/ca"
}

# has_log_usage CRT: the certificate's extended key usage is the log signing OID alone.
has_log_usage() {
  [[ "$(openssl x509 -in "$1" -noout -ext extendedKeyUsage 2>/dev/null | tail -n +2 |
    tr -d ' ')" == "$LOG_SIGNING_OID" ]]
}

# leaf_ok DIR NAME SUBJ PURPOSE
leaf_ok() {
  local prefix="$1/$2"
  key_matches "$prefix.key" "$prefix.crt" &&
    subject_matches "$prefix.key" "$prefix.crt" "$3" &&
    { [[ $2 != log ]] || has_log_usage "$prefix.crt"; } &&
    openssl verify -CAfile "$1/ca.crt" -purpose "$4" "$prefix.crt" >/dev/null 2>&1
}

# ensure_leaf DIR NAME SUBJ EXTENSIONS PURPOSE
ensure_leaf() {
  local dir="$1" name="$2" subj="$3" ext="$4" purpose="$5"
  if leaf_ok "$dir" "$name" "$subj" "$purpose"; then
    return 0
  fi
  [[ ! -e $dir/$name.crt ]] || log "existing $name in $dir does not match or verify; reissuing"
  log "issuing $name: $subj"
  if [[ $name == log ]] && openssl pkey -in "$dir/log.key" -noout 2>/dev/null; then
    # Re-certify the log's key (e.g. to add the log-signing usage): the heads
    # stored so far stay signed by this log's key.
    cp -- "$dir/log.key" "$WORK/$name.key"
  else
    new_key "$WORK/$name.key"
  fi
  openssl req -new -sha256 -key "$WORK/$name.key" -subj "$subj" \
    -config "$WORK/openssl.cnf" -out "$WORK/$name.csr"
  openssl x509 -req -sha256 -in "$WORK/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
    -set_serial "$(serial)" -days "$LEAF_DAYS" -extfile "$WORK/openssl.cnf" \
    -extensions "$ext" -out "$WORK/$name.crt" 2>/dev/null
  install_pair "$WORK/$name.key" "$WORK/$name.crt" "$dir/$name"
}

check_name() {
  [[ $1 =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || die "bad $2 '$1' (letters, digits, . _ -)"
}

# issue_client DIR ROLE NAME ORG
issue_client() {
  local dir="$1" role="$2" name="$3" org="$4"
  check_name "$name" name
  check_name "$role" role
  [[ -n $org ]] || die "empty organisation"
  [[ $name != ca && $name != server && $name != log ]] || die "'$name' is reserved"
  [[ -f $dir/ca.key ]] || die "no CA in $dir (run: pki.sh ca $dir)"
  ensure_leaf "$dir" "$name" \
    "/CN=$(subj_value "$name")/O=$(subj_value "$org")/OU=$(subj_value "$role")" \
    v3_client sslclient
}

verify_all() {
  local dir="$1" out
  shift
  out="$(openssl verify -CAfile "$dir/ca.crt" "$@" 2>&1)" || {
    printf '%s\n' "$out" >&2
    die "verification failed"
  }
  log "verified $# certificate(s) against $dir/ca.crt"
}

# ensure_release_key DIR: the server's at-rest key (bidopend --release-key): 32 random
# bytes in hex, mode 600. Released keys and opened bids are stored only sealed under it,
# outside the database (docs/operations.md "The at-rest key"). Kept once made.
ensure_release_key() {
  local f="$1/release.key"
  if [[ -f $f ]] && grep -Eq '^[0-9a-f]{64}$' "$f"; then return 0; fi
  (umask 077 && openssl rand -hex 32 >"$f.tmp") && mv -- "$f.tmp" "$f"
  log "made the at-rest key $f"
}

cmd_init() {
  local dir="$1" entry name role org
  local -a certs=("$dir/server.crt" "$dir/log.crt")
  ensure_ca "$dir" "$CA_CN_DEFAULT"
  ensure_leaf "$dir" server "/CN=localhost" v3_server sslserver
  # The audit log's signing key (tree heads, receipts), certified by the same CA.
  ensure_leaf "$dir" log "/CN=bidopen log/O=$(subj_value "$CA_ORG")/OU=log" v3_log any
  ensure_release_key "$dir"
  for entry in "${IDENTITIES[@]}"; do
    IFS='|' read -r name role org <<<"$entry"
    issue_client "$dir" "$role" "$name" "$org"
    certs+=("$dir/$name.crt")
  done
  verify_all "$dir" "${certs[@]}"
}

main() {
  (($# >= 2)) || usage
  local cmd="$1" dir
  dir="$(realpath -m -- "$2")"
  [[ $cmd == issue ]] || mkdir -p -- "$dir"
  umask 077
  WORK="$(mktemp -d)"
  trap 'rm -rf -- "$WORK"' EXIT
  write_config
  case "$cmd" in
    init)
      (($# == 2)) || usage
      cmd_init "$dir"
      ;;
    ca)
      (($# <= 3)) || usage
      ensure_ca "$dir" "${3:-$CA_CN_DEFAULT}"
      verify_all "$dir" "$dir/ca.crt"
      ;;
    issue)
      (($# == 5)) || usage
      issue_client "$dir" "$3" "$4" "$5"
      verify_all "$dir" "$dir/$4.crt"
      ;;
    *) usage ;;
  esac
}

main "$@"
