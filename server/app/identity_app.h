// Registration of key-wrapping keys, bound to the caller's certificate.
#ifndef BIDOPEN_SERVER_APP_IDENTITY_APP_H_
#define BIDOPEN_SERVER_APP_IDENTITY_APP_H_

#include "absl/status/statusor.h"
#include "bidopen/v1/identity.pb.h"
#include "core/opening/limits.h"
#include "server/auth/revocations.h"
#include "server/store/event_log.h"
#include "server/store/pool.h"

namespace bidopen::app {

class IdentityApp {
 public:
  // `revoked`: the server's in-memory list, added to after each revocation;
  // `response_bytes`: the most bytes of keys in one ListKeys page.
  IdentityApp(store::Pool& pool, store::EventLog& log, auth::RevocationList& revoked,
              size_t response_bytes = limits::kDefaultResponseBytes)
      : pool_(pool), log_(log), revoked_(revoked), response_bytes_(response_bytes) {}

  // DecideKeyRegistration's refusals; the same key again (and no per-lot keys)
  // is a no-op returning the existing registration.
  // `cert_pem`: the certificate the caller called with (it signs lot keys).
  absl::StatusOr<v1::RegisteredKey> RegisterKey(const v1::Party& actor, const std::string& cert_pem,
                                                const v1::RegisterKeyRequest& req);
  absl::StatusOr<v1::ListKeysResponse> ListKeys(const v1::ListKeysRequest& req);
  // Appends a CertificateRevoked event (DecideRevocation's refusals); every
  // later call with the certificate is refused.
  absl::StatusOr<v1::Revocation> Revoke(const v1::Party& actor,
                                        const v1::RevokeCertificateRequest& req);

 private:
  store::Pool& pool_;
  store::EventLog& log_;
  auth::RevocationList& revoked_;
  size_t response_bytes_;
};

}  // namespace bidopen::app

#endif  // BIDOPEN_SERVER_APP_IDENTITY_APP_H_
