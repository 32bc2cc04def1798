#include "client/release_sign.h"

#include "client/audit_state.h"
#include "core/crypto/signature.h"
#include "core/opening/opening_rules.h"
#include "core/opening/release_signature.h"
#include "core/status_macros.h"
#include "platform/files.h"

namespace bidopen::client {

absl::StatusOr<SignedRelease> SignRelease(EVP_PKEY* key, const LotName& lot, v1::ReleaseKind kind,
                                          uint64_t bid, uint32_t share_x,
                                          absl::string_view material,
                                          const v1::SignedTreeHead& seen) {
  v1::KeyReleased k;
  k.set_lot(lot.lot);
  k.set_kind(kind);
  k.set_bid(bid);
  k.set_share_x(share_x);
  k.set_material_sha256(ReleasedHash(material));
  k.set_seen_checkpoint(seen.checkpoint());
  SignedRelease out;
  out.seen_checkpoint = seen.checkpoint();
  out.seen_signature = seen.signature();
  BO_ASSIGN_OR_RETURN(out.signature, crypto::Sign(key, ReleaseSigningInput(lot.tender_id, k)));
  return out;
}

absl::StatusOr<SignedRelease> SignReleaseWithKeyFile(const std::string& key_path,
                                                     const LotName& lot, v1::ReleaseKind kind,
                                                     uint64_t bid, uint32_t share_x,
                                                     absl::string_view material,
                                                     const v1::SignedTreeHead& seen) {
  BO_ASSIGN_OR_RETURN(std::string pem, ReadFileBytes(key_path, "--key"));
  BO_ASSIGN_OR_RETURN(crypto::PkeyPtr key, crypto::PrivateKeyFromPem(pem));
  // Kept before the key leaves this machine (review 8 V4: audit_state.h).
  BO_RETURN_IF_ERROR(RememberCitedHead(seen));
  return SignRelease(key.get(), lot, kind, bid, share_x, material, seen);
}

}  // namespace bidopen::client
