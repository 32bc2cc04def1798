#include "server/app/identity_app.h"

#include "absl/strings/str_cat.h"
#include "core/crypto/x25519.h"
#include "core/opening/fold.h"
#include "core/status_macros.h"
#include "server/store/queries.h"

namespace bidopen::app {
namespace {

const v1::RegisteredKey* Find(const std::vector<v1::RegisteredKey>& keys,
                              const std::string& fingerprint) {
  for (const auto& k : keys)
    if (k.party().fingerprint() == fingerprint) return &k;
  return nullptr;
}

}  // namespace

absl::StatusOr<v1::RegisteredKey> IdentityApp::RegisterKey(const v1::Party& actor,
                                                           const std::string& key) {
  if (key.size() != crypto::kX25519KeySize)
    return absl::InvalidArgumentError(absl::StrCat(
        "x25519_public_key: must be ", crypto::kX25519KeySize, " bytes, got ", key.size()));
  v1::RegisteredKey out;
  BO_RETURN_IF_ERROR(log_.Run([&](store::CommandTx& tx) -> absl::Status {
    BO_ASSIGN_OR_RETURN(auto keys, store::ListKeys(tx.conn(), actor.role()));
    const v1::RegisteredKey* existing = Find(keys, actor.fingerprint());
    if (existing && existing->x25519_public_key() == key) {
      out = *existing;
      return absl::OkStatus();
    }
    v1::Event draft;
    *draft.mutable_actor() = actor;
    draft.mutable_key_registered()->set_x25519_public_key(key);
    BO_ASSIGN_OR_RETURN(v1::Event event, tx.Append(std::move(draft)));
    KeyRegistry registry;
    BO_RETURN_IF_ERROR(ApplyEvent(event, {.keys = &registry}).status());
    out = registry.begin()->second;
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::ListKeysResponse> IdentityApp::ListKeys(v1::Role role) {
  BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_.Acquire());
  BO_ASSIGN_OR_RETURN(auto keys, store::ListKeys(*conn, role));
  v1::ListKeysResponse out;
  for (auto& k : keys) *out.add_keys() = std::move(k);
  return out;
}

}  // namespace bidopen::app
