#include "client/local_identity.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "core/crypto/certificate.h"

namespace bidopen::client {

absl::StatusOr<v1::Party> LocalParty(const Profile& p) {
  std::ifstream in(p.cert, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("--cert: cannot read ", p.cert));
  std::stringstream pem;
  pem << in.rdbuf();
  return crypto::PartyFromPem(pem.str());
}

}  // namespace bidopen::client
