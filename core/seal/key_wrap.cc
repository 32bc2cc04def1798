#include "core/seal/key_wrap.h"

#include "absl/strings/str_cat.h"
#include "core/crypto/aead.h"
#include "core/crypto/kdf.h"
#include "core/crypto/x25519.h"
#include "core/seal/context.h"
#include "core/seal/format.h"
#include "core/status_macros.h"

namespace bidopen::seal {
namespace {

absl::StatusOr<crypto::Secret> WrapKey(absl::string_view shared, absl::string_view ephemeral_public,
                                       absl::string_view recipient_public, absl::string_view ad) {
  auto key = crypto::HkdfSha256(shared, absl::StrCat(ephemeral_public, recipient_public), ad,
                                crypto::kAesKeySize);
  if (!key.ok()) return key.status();
  return crypto::Secret(*std::move(key));
}

const std::string& ZeroNonce() {
  static const std::string* const kNonce = new std::string(crypto::kGcmNonceSize, '\0');
  return *kNonce;
}

absl::Status CheckPublic(absl::string_view fingerprint, absl::string_view key) {
  if (key.size() == crypto::kX25519KeySize) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("X25519 public key of ", fingerprint, ": ",
                                                 key.size(), " bytes; must be ",
                                                 crypto::kX25519KeySize));
}

absl::StatusOr<crypto::Secret> Shared(absl::string_view private_key, absl::string_view peer) {
  auto shared = crypto::X25519Shared(private_key, peer);
  if (!shared.ok()) return shared.status();
  return crypto::Secret(*std::move(shared));
}

}  // namespace

WrapContext WrapContextOf(const v1::SealedHeader& header) {
  return WrapContext{ContextHash(header), UnwrappedHeaderHash(header)};
}

std::string WrapAd(const WrapContext& ctx, const v1::Recipient& r) {
  std::string ad;
  AppendLp(&ad, kWrapLabel);
  AppendLp(&ad, ctx.ctx_hash);
  AppendLp(&ad, ctx.unwrapped_hash);
  AppendLp(&ad, U32Bytes(static_cast<uint32_t>(r.kind())));
  AppendLp(&ad, U32Bytes(r.share_x()));
  AppendLp(&ad, r.fingerprint());
  AppendLp(&ad, r.public_key());
  return ad;
}

absl::Status WrapSecret(const WrapContext& ctx, absl::string_view ephemeral_private,
                        absl::string_view secret, v1::Recipient* r) {
  BO_RETURN_IF_ERROR(CheckPublic(r->fingerprint(), r->public_key()));
  BO_ASSIGN_OR_RETURN(crypto::Secret shared, Shared(ephemeral_private, r->public_key()));
  const std::string ad = WrapAd(ctx, *r);
  BO_ASSIGN_OR_RETURN(crypto::Secret key,
                      WrapKey(shared.view(), r->ephemeral_public(), r->public_key(), ad));
  BO_ASSIGN_OR_RETURN(*r->mutable_wrapped(),
                      crypto::AesGcmSeal(key.view(), ZeroNonce(), ad, secret));
  return absl::OkStatus();
}

namespace {

absl::StatusOr<crypto::Secret> Open(const WrapContext& ctx, const v1::Recipient& r,
                                    const crypto::Secret& shared,
                                    absl::string_view recipient_public) {
  const std::string ad = WrapAd(ctx, r);
  BO_ASSIGN_OR_RETURN(crypto::Secret key,
                      WrapKey(shared.view(), r.ephemeral_public(), recipient_public, ad));
  auto secret = crypto::AesGcmOpen(key.view(), ZeroNonce(), ad, r.wrapped());
  if (secret.ok()) return crypto::Secret(*std::move(secret));
  if (secret.status().code() != absl::StatusCode::kDataLoss) return secret.status();
  return absl::DataLossError(absl::StrCat(
      "the key given for recipient ", r.fingerprint(), r.share_x() ? " (share " : "",
      r.share_x() ? absl::StrCat(r.share_x(), ")") : "",
      " does not open its wrapped secret (a different X25519 key, or a record that is not this "
      "bid's)"));
}

}  // namespace

absl::StatusOr<crypto::Secret> UnwrapSecret(const WrapContext& ctx, const v1::Recipient& r,
                                            absl::string_view private_key) {
  BO_ASSIGN_OR_RETURN(std::string own_public, crypto::X25519PublicFromPrivate(private_key));
  BO_ASSIGN_OR_RETURN(crypto::Secret shared, Shared(private_key, r.ephemeral_public()));
  return Open(ctx, r, shared, own_public);
}

absl::StatusOr<crypto::Secret> UnwrapAsSealer(const WrapContext& ctx, const v1::Recipient& r,
                                              absl::string_view ephemeral_private) {
  BO_ASSIGN_OR_RETURN(std::string e_pub, crypto::X25519PublicFromPrivate(ephemeral_private));
  if (e_pub != r.ephemeral_public())
    return absl::DataLossError(absl::StrCat("the ephemeral key kept for recipient ",
                                            r.fingerprint(), " is not the one in the header"));
  BO_ASSIGN_OR_RETURN(crypto::Secret shared, Shared(ephemeral_private, r.public_key()));
  return Open(ctx, r, shared, r.public_key());
}

}  // namespace bidopen::seal
