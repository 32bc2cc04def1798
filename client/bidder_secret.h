// What a bidder releases at the opening (s, or s_b under BOTH), unwrapped on
// its own machine: with its registered X25519 key (client/key_store.h), else
// as the sealer, with the ephemeral key `bid seal` kept in keys/bids/<bid
// id>.json (X25519(e, R) is the recipient's shared secret). Each candidate is
// checked against the header's commitment before it is returned.
#ifndef BIDOPEN_CLIENT_BIDDER_SECRET_H_
#define BIDOPEN_CLIENT_BIDDER_SECRET_H_

#include <string>

#include "absl/status/statusor.h"
#include "bidopen/v1/seal.pb.h"
#include "core/crypto/secret.h"

namespace bidopen::client {

struct BidderSecret {
  crypto::Secret secret;
  std::string source;  // where it came from, for people
};

// FAILED_PRECONDITION naming every place tried and why each failed, and what
// becomes of the bid under its policy if nothing is released (ANY: it may
// still open through the custodians; BIDDER, BOTH: the bidder's fault,
// treated as revoked). REQUIRES: `header` decoded (ValidateHeader OK), with a
// bidder record (policy is not QUORUM).
absl::StatusOr<BidderSecret> FindBidderSecret(const v1::SealedHeader& header,
                                              const std::string& fingerprint);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_BIDDER_SECRET_H_
