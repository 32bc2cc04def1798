// What anyone can check from the log alone once a lot's opening started
// (docs/protocol.md "What an auditor checks"): each revealed bidder against
// its bid's commitment and signed statement, and each announced value against
// the sealed header the bidder signed before the deadline. Pure; the fold
// applies both, so `bidctl audit replay` and `audit verify` do too.
#ifndef BIDOPEN_CORE_OPENING_REVEAL_CHECK_H_
#define BIDOPEN_CORE_OPENING_REVEAL_CHECK_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bidopen/fold/state.pb.h"
#include "bidopen/v1/bid.pb.h"
#include "bidopen/v1/events.pb.h"

namespace bidopen {

// The revealed nonce opens the bid's bidder_commitment for the revealed
// bidder; the statement hashes to the bid's statement_sha256, is a submission
// by that bidder for this tender and lot, of the bid's size, and signs the
// revealed header's hash. Returns the statement; DATA_LOSS naming what differs.
// (The statement's signature needs the CA: CheckRevealSignature.)
absl::StatusOr<v1::BidStatement> CheckReveal(const v1::BidRevealed& reveal, const fold::Bid& bid,
                                             absl::string_view tender_id);

// The statement's signature by the revealed certificate, which the CA issued
// with the revealed fingerprint. DATA_LOSS naming the bid otherwise.
// `signed_at`: when the statement was signed (its BidSubmitted event's time):
// the certificate is checked as it was then.
absl::Status CheckRevealSignature(const v1::BidRevealed& reveal, absl::string_view ca_pem,
                                  absl::Time signed_at);

// The announced values with values_key (r_v) open the header's
// values_commitment. DATA_LOSS naming the bid otherwise.
absl::Status CheckAnnouncedValues(absl::string_view header_bytes, const v1::BidVerdict& verdict);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_OPENING_REVEAL_CHECK_H_
