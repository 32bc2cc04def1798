// Who this machine's user is without asking the server: the party named by
// the profile's client certificate, and its X25519 key-wrapping key.
#ifndef BIDOPEN_CLIENT_LOCAL_IDENTITY_H_
#define BIDOPEN_CLIENT_LOCAL_IDENTITY_H_

#include "absl/status/statusor.h"
#include "bidopen/v1/common.pb.h"
#include "client/profile.h"

namespace bidopen::client {

// The party in the certificate at `p.cert` (fingerprint, organization, role).
// NOT_FOUND naming --cert and the path if it cannot be read.
absl::StatusOr<v1::Party> LocalParty(const Profile& p);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_LOCAL_IDENTITY_H_
