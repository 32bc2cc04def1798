#include "server/app/identity_app.h"

#include "absl/strings/str_cat.h"
#include "core/crypto/x25519.h"
#include "core/opening/fold.h"
#include "core/opening/key_rules.h"
#include "core/opening/revocation_rules.h"
#include "core/status_macros.h"
#include "server/store/fold_rows.h"
#include "server/store/queries.h"
#include "server/store/revocation_rows.h"

namespace bidopen::app {

absl::StatusOr<v1::RegisteredKey> IdentityApp::RegisterKey(const v1::Party& actor,
                                                           const std::string& cert_pem,
                                                           const v1::RegisterKeyRequest& req) {
  v1::RegisteredKey out;
  BO_RETURN_IF_ERROR(log_.Run([&](store::CommandTx& tx) -> absl::Status {
    BO_ASSIGN_OR_RETURN(std::optional<v1::RegisteredKey> existing,
                        store::ReadKey(tx.conn(), actor.fingerprint()));
    BO_ASSIGN_OR_RETURN(std::vector<v1::Event> drafts,
                        DecideKeyRegistration(req, actor, cert_pem, existing));
    KeyRegistry registry;
    if (existing) registry[actor.fingerprint()] = *existing;
    for (v1::Event& draft : drafts) {
      BO_ASSIGN_OR_RETURN(v1::Event event, tx.Append(std::move(draft)));
      BO_RETURN_IF_ERROR(ApplyEvent(event, {.keys = &registry}).status());
    }
    out = registry.at(actor.fingerprint());
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::Revocation> IdentityApp::Revoke(const v1::Party& actor,
                                                   const v1::RevokeCertificateRequest& req) {
  v1::Revocation out;
  BO_RETURN_IF_ERROR(log_.Run([&](store::CommandTx& tx) -> absl::Status {
    BO_ASSIGN_OR_RETURN(std::optional<v1::Revocation> existing,
                        store::ReadRevocation(tx.conn(), req.fingerprint()));
    // The list folded from the log holds it even if its row went missing.
    if (!existing) existing = revoked_.Find(req.fingerprint());
    BO_ASSIGN_OR_RETURN(v1::Event draft,
                        DecideRevocation(req, actor, existing ? &*existing : nullptr));
    BO_ASSIGN_OR_RETURN(v1::Event event, tx.Append(std::move(draft)));
    Revocations revoked;
    BO_RETURN_IF_ERROR(ApplyEvent(event, {.revoked = &revoked}).status());
    out = revoked.at(req.fingerprint());
    return absl::OkStatus();
  }));
  revoked_.Add(out);
  return out;
}

absl::StatusOr<v1::ListKeysResponse> IdentityApp::ListKeys(const v1::ListKeysRequest& req) {
  BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_.Acquire());
  return store::ListKeysPage(*conn, req, response_bytes_);
}

}  // namespace bidopen::app
