#include "client/local_identity.h"

#include "core/crypto/certificate.h"
#include "platform/files.h"

namespace bidopen::client {

absl::StatusOr<v1::Party> LocalParty(const Profile& p) {
  auto pem = ReadFileBytes(p.cert, "--cert");
  if (!pem.ok()) return pem.status();
  return crypto::PartyFromPem(*pem);
}

}  // namespace bidopen::client
