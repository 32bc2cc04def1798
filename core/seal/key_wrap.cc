#include "core/seal/key_wrap.h"

#include "absl/strings/str_cat.h"
#include "core/crypto/aead.h"
#include "core/crypto/kdf.h"
#include "core/crypto/x25519.h"
#include "core/status_macros.h"

namespace bidopen::seal {
namespace {

absl::StatusOr<std::string> WrapKey(absl::string_view shared, absl::string_view ephemeral_public,
                                    absl::string_view recipient_public) {
  return crypto::HkdfSha256(shared, absl::StrCat(ephemeral_public, recipient_public), kWrapLabel,
                            crypto::kAesKeySize);
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

}  // namespace

std::string WrapAd(const WrapContext& ctx, absl::string_view fingerprint) {
  return absl::StrCat(kWrapLabel, absl::string_view("\0", 1), ctx.tender_id,
                      absl::string_view("\0", 1), ctx.lot, absl::string_view("\0", 1), fingerprint);
}

absl::StatusOr<v1::Recipient> WrapSecret(const WrapContext& ctx, v1::RecipientKind kind,
                                         uint32_t share_x, absl::string_view fingerprint,
                                         absl::string_view recipient_public,
                                         absl::string_view secret, const RandomFn& random) {
  BO_RETURN_IF_ERROR(CheckPublic(fingerprint, recipient_public));
  BO_ASSIGN_OR_RETURN(std::string ephemeral_private, DrawRandom(random, crypto::kX25519KeySize));
  BO_ASSIGN_OR_RETURN(std::string ephemeral_public,
                      crypto::X25519PublicFromPrivate(ephemeral_private));
  BO_ASSIGN_OR_RETURN(std::string shared,
                      crypto::X25519Shared(ephemeral_private, recipient_public));
  BO_ASSIGN_OR_RETURN(std::string key, WrapKey(shared, ephemeral_public, recipient_public));
  BO_ASSIGN_OR_RETURN(std::string wrapped,
                      crypto::AesGcmSeal(key, ZeroNonce(), WrapAd(ctx, fingerprint), secret));
  v1::Recipient r;
  r.set_kind(kind);
  r.set_fingerprint(std::string(fingerprint));
  r.set_share_x(share_x);
  r.set_ephemeral_public(std::move(ephemeral_public));
  r.set_wrapped(std::move(wrapped));
  return r;
}

absl::StatusOr<std::string> UnwrapSecret(const WrapContext& ctx, const v1::Recipient& recipient,
                                         absl::string_view private_key) {
  BO_ASSIGN_OR_RETURN(std::string own_public, crypto::X25519PublicFromPrivate(private_key));
  BO_ASSIGN_OR_RETURN(std::string shared,
                      crypto::X25519Shared(private_key, recipient.ephemeral_public()));
  BO_ASSIGN_OR_RETURN(std::string key, WrapKey(shared, recipient.ephemeral_public(), own_public));
  auto secret = crypto::AesGcmOpen(key, ZeroNonce(), WrapAd(ctx, recipient.fingerprint()),
                                   recipient.wrapped());
  if (secret.ok()) return secret;
  if (secret.status().code() != absl::StatusCode::kDataLoss) return secret.status();
  return absl::DataLossError(absl::StrCat(
      "the key given for recipient ", recipient.fingerprint(),
      " does not open its wrapped key (a different X25519 key, or an altered header)"));
}

}  // namespace bidopen::seal
