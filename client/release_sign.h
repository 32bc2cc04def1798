// A release signed by its releaser (docs/protocol.md "Releasing"): bidctl
// signs, with its identity certificate's key (as it signs bid statements),
// what it releases and the signed tree head it verified just before sending.
#ifndef BIDOPEN_CLIENT_RELEASE_SIGN_H_
#define BIDOPEN_CLIENT_RELEASE_SIGN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/audit.pb.h"
#include "bidopen/v1/events.pb.h"
#include "core/crypto/ossl.h"
#include "core/opening/lot_ref.h"

namespace bidopen::client {

// The request fields of a signed release.
struct SignedRelease {
  std::string seen_checkpoint;
  std::string seen_signature;
  std::string signature;
};

// Signs ReleaseSigningInput for the release of `material` (kind BIDDER with
// `bid`, or CUSTODIAN with `share_x`) in `lot`, citing `seen` (the verified
// OpeningStatus.now), with `key`.
absl::StatusOr<SignedRelease> SignRelease(EVP_PKEY* key, const LotName& lot, v1::ReleaseKind kind,
                                          uint64_t bid, uint32_t share_x,
                                          absl::string_view material,
                                          const v1::SignedTreeHead& seen);

// The same with the private key at `key_path` (the profile's --key).
absl::StatusOr<SignedRelease> SignReleaseWithKeyFile(const std::string& key_path,
                                                     const LotName& lot, v1::ReleaseKind kind,
                                                     uint64_t bid, uint32_t share_x,
                                                     absl::string_view material,
                                                     const v1::SignedTreeHead& seen);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_RELEASE_SIGN_H_
