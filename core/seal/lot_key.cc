#include "core/seal/lot_key.h"

#include <openssl/bn.h>

#include <memory>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "core/crypto/certificate.h"
#include "core/crypto/kdf.h"
#include "core/crypto/ossl.h"
#include "core/crypto/sha256.h"
#include "core/crypto/signature.h"
#include "core/crypto/x25519.h"
#include "core/seal/format.h"
#include "core/status_macros.h"

namespace bidopen::seal {
namespace {

// u >= 2^255 - 19, or the top bit set: not the one encoding RFC 7748 gives u.
bool NonCanonical(absl::string_view k) {
  const auto b = [&](size_t i) { return static_cast<unsigned char>(k[i]); };
  if ((b(31) & 0x80) != 0) return true;
  if (b(31) != 0x7f || b(0) < 0xed) return false;
  for (size_t i = 1; i < 31; ++i)
    if (b(i) != 0xff) return false;
  return true;
}

using BnPtr = std::unique_ptr<BIGNUM, crypto::Deleter<BN_free>>;
using BnCtxPtr = std::unique_ptr<BN_CTX, crypto::Deleter<BN_CTX_free>>;

// Whether u is the x-coordinate of a point on Curve25519 itself, not on its
// twist: v = u^3 + 486662 u^2 + u is a square mod p (Euler's criterion). A key
// on the twist has no private key on the curve: nobody could ever release it.
// nullopt if OpenSSL fails.
std::optional<bool> OnCurve(absl::string_view k) {
  BnCtxPtr ctx(BN_CTX_new());
  BnPtr p(BN_new()), u(BN_lebin2bn(reinterpret_cast<const unsigned char*>(k.data()),
                                   static_cast<int>(k.size()), nullptr));
  BnPtr v(BN_new()), t(BN_new()), a(BN_new()), e(BN_new());
  if (!ctx || !p || !u || !v || !t || !a || !e) return std::nullopt;
  const bool ok = BN_set_word(p.get(), 1) && BN_lshift(p.get(), p.get(), 255) &&
                  BN_sub_word(p.get(), 19) && BN_set_word(a.get(), 486662) &&
                  BN_mod_add(t.get(), u.get(), a.get(), p.get(), ctx.get()) &&  // u + A
                  BN_mod_mul(t.get(), t.get(), u.get(), p.get(), ctx.get()) &&  // u^2 + A u
                  BN_add_word(t.get(), 1) &&                                    // + 1
                  BN_mod_mul(v.get(), t.get(), u.get(), p.get(), ctx.get()) &&  // times u
                  BN_copy(e.get(), p.get()) && BN_sub_word(e.get(), 1) &&
                  BN_rshift1(e.get(), e.get()) &&
                  BN_mod_exp(t.get(), v.get(), e.get(), p.get(), ctx.get());
  if (!ok) return std::nullopt;
  return BN_is_zero(v.get()) || BN_is_one(t.get());
}

absl::Status Refused(const v1::LotSpec& spec, int i, absl::string_view why) {
  return absl::FailedPreconditionError(absl::StrCat(
      "custodian_keys[", i, "] of custodian ", spec.custodians(i), ": ", why,
      "; the server may be handing out keys the custodian never made, so nothing was sealed. "
      "Tell the agency and the custodian"));
}

absl::Status CheckOne(const v1::LotSpec& spec, int i, absl::string_view ca_pem) {
  const std::string& cert = spec.custodian_certificates(i);
  if (absl::Status st = crypto::VerifyIssuedBy(cert, ca_pem); !st.ok())
    return Refused(spec, i, absl::StrCat("its certificate: ", st.message()));
  BO_ASSIGN_OR_RETURN(v1::Party party, crypto::PartyFromPem(cert));
  if (party.fingerprint() != spec.custodians(i))
    return Refused(spec, i, absl::StrCat("its certificate is ", party.fingerprint(), "'s"));
  if (party.role() != v1::ROLE_CUSTODIAN)
    return Refused(spec, i, "its certificate is not a custodian's");
  if (absl::Status st = CheckLotPublicKey("key", spec.custodian_keys(i)); !st.ok())
    return Refused(spec, i, st.message());
  if (absl::Status st = VerifyLotKeySignature(cert, spec.custodians(i), spec.custodian_keys(i),
                                              spec.custodian_key_signatures(i));
      !st.ok())
    return Refused(spec, i, st.message());
  return absl::OkStatus();
}

}  // namespace

std::string LotKeySigningInput(absl::string_view fingerprint, absl::string_view public_key) {
  std::string in;
  AppendLp(&in, kLotKeyLabel);
  AppendLp(&in, fingerprint);
  AppendLp(&in, public_key);
  return in;
}

absl::Status CheckLotPublicKey(absl::string_view field, absl::string_view public_key) {
  if (public_key.size() != crypto::kX25519KeySize)
    return absl::InvalidArgumentError(absl::StrCat(field, ": must be ", crypto::kX25519KeySize,
                                                   " bytes, got ", public_key.size()));
  if (NonCanonical(public_key))
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", crypto::Hex(public_key),
                     " is not a canonical X25519 public key (u must be below 2^255 - 19)"));
  const std::optional<bool> on_curve = OnCurve(public_key);
  if (!on_curve) return absl::InternalError("checking an X25519 key: OpenSSL BIGNUM failed");
  if (!*on_curve)
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", crypto::Hex(public_key),
                     " is not on Curve25519 (it is on its twist: no private key can release it)"));
  static const std::string kScalar(crypto::kX25519KeySize, '\x5a');
  if (!crypto::X25519Shared(kScalar, public_key).ok())
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", crypto::Hex(public_key),
                     " is a low-order X25519 point (every shared secret with it is zero)"));
  return absl::OkStatus();
}

absl::Status VerifyLotKeySignature(absl::string_view certificate_pem, absl::string_view fingerprint,
                                   absl::string_view public_key, absl::string_view signature) {
  if (signature.empty()) return absl::DataLossError("the key is not signed by its custodian");
  if (!crypto::VerifySignature(certificate_pem, LotKeySigningInput(fingerprint, public_key),
                               signature)
           .ok())
    return absl::DataLossError("its signature is not the custodian's over this key");
  return absl::OkStatus();
}

absl::Status CheckLotKeysSigned(const v1::LotSpec& spec, absl::string_view ca_pem) {
  const int n = spec.custodians_size();
  if (spec.custodian_keys_size() != n || spec.custodian_key_signatures_size() != n ||
      spec.custodian_certificates_size() != n)
    return absl::FailedPreconditionError(absl::StrCat(
        "the lot names ", n, " custodians but has ", spec.custodian_keys_size(), " keys, ",
        spec.custodian_key_signatures_size(), " key signatures and ",
        spec.custodian_certificates_size(),
        " custodian certificates; shares are only wrapped to keys their custodian signed"));
  std::set<std::string> seen;
  for (int i = 0; i < n; ++i) {
    BO_RETURN_IF_ERROR(CheckOne(spec, i, ca_pem));
    if (!seen.insert(spec.custodian_keys(i)).second)
      return Refused(spec, i, "another custodian of the lot has the same key");
  }
  return absl::OkStatus();
}

}  // namespace bidopen::seal
