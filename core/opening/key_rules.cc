#include "core/opening/key_rules.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "core/crypto/x25519.h"
#include "core/seal/lot_key.h"
#include "core/status_macros.h"

namespace bidopen {
namespace {

absl::Status CheckKeySize(const std::string& key, absl::string_view field) {
  if (key.size() == crypto::kX25519KeySize) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": must be ", crypto::kX25519KeySize, " bytes, got ", key.size()));
}

absl::Status CheckLotKeySignatures(const v1::RegisterKeyRequest& req, const v1::Party& actor,
                                   absl::string_view cert_pem) {
  if (req.lot_key_signatures_size() != req.lot_keys_size())
    return absl::InvalidArgumentError(absl::StrCat(
        "lot_key_signatures: ", req.lot_key_signatures_size(), " signatures for ",
        req.lot_keys_size(), " lot_keys; sign each key (docs/sealed-bid-format.md §5.3)"));
  for (int i = 0; i < req.lot_keys_size(); ++i)
    if (absl::Status st = seal::VerifyLotKeySignature(cert_pem, actor.fingerprint(),
                                                      req.lot_keys(i), req.lot_key_signatures(i));
        !st.ok())
      return absl::InvalidArgumentError(absl::StrCat("lot_key_signatures[", i, "]: ", st.message(),
                                                     " (the certificate you called with)"));
  return absl::OkStatus();
}

absl::Status CheckLotKeys(const v1::RegisterKeyRequest& req, const v1::Party& actor,
                          absl::string_view cert_pem,
                          const std::optional<v1::RegisteredKey>& existing) {
  if (req.lot_keys_size() == 0) return absl::OkStatus();
  if (actor.role() != v1::ROLE_CUSTODIAN)
    return absl::PermissionDeniedError("lot_keys: only custodians register per-lot keys");
  if (req.lot_keys_size() > kMaxLotKeysPerCall)
    return absl::InvalidArgumentError(absl::StrCat(
        "lot_keys: ", req.lot_keys_size(), " keys; at most ", kMaxLotKeysPerCall, " per call"));
  std::set<std::string> seen;
  if (existing) seen.insert(existing->lot_keys().begin(), existing->lot_keys().end());
  for (int i = 0; i < req.lot_keys_size(); ++i) {
    const std::string field = absl::StrCat("lot_keys[", i, "]");
    BO_RETURN_IF_ERROR(seal::CheckLotPublicKey(field, req.lot_keys(i)));
    if (!seen.insert(req.lot_keys(i)).second)
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": registered before; every per-lot key is used once"));
  }
  return CheckLotKeySignatures(req, actor, cert_pem);
}

}  // namespace

absl::StatusOr<std::vector<v1::Event>> DecideKeyRegistration(
    const v1::RegisterKeyRequest& req, const v1::Party& actor, absl::string_view actor_cert_pem,
    const std::optional<v1::RegisteredKey>& existing) {
  BO_RETURN_IF_ERROR(CheckKeySize(req.x25519_public_key(), "x25519_public_key"));
  BO_RETURN_IF_ERROR(CheckLotKeys(req, actor, actor_cert_pem, existing));
  std::vector<v1::Event> drafts;
  if (!existing || existing->x25519_public_key() != req.x25519_public_key()) {
    v1::Event& e = drafts.emplace_back();
    *e.mutable_actor() = actor;
    e.mutable_key_registered()->set_x25519_public_key(req.x25519_public_key());
  }
  if (req.lot_keys_size() > 0) {
    v1::Event& e = drafts.emplace_back();
    *e.mutable_actor() = actor;
    v1::LotKeysRegistered* r = e.mutable_lot_keys_registered();
    *r->mutable_public_keys() = req.lot_keys();
    *r->mutable_signatures() = req.lot_key_signatures();
    r->set_certificate_pem(std::string(actor_cert_pem));
  }
  return drafts;
}

bool LotKeySigned(const v1::RegisteredKey& entry, uint32_t n) {
  return n < static_cast<uint32_t>(entry.lot_key_signatures_size()) &&
         !entry.lot_key_signatures(static_cast<int>(n)).empty();
}

}  // namespace bidopen
