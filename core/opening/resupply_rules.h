// Re-supplying a sealed file (review 4 R5; docs/protocol.md "Re-supplying a
// sealed file"). Only the operator hashes the stored file at the opening's
// start, so its "altered" (BidRevealed.stored_matches false) is a claim the
// bidder cannot check. The bidder holds the file whose SHA-256 it signed: it
// puts it back in the re-supply period at the start of the window, before any
// key is released; the server stores it and logs BidFileRestored, and the bid
// is read as usual. Pure: the server decides with these and the fold checks
// the log obeyed them.
#ifndef BIDOPEN_CORE_OPENING_RESUPPLY_RULES_H_
#define BIDOPEN_CORE_OPENING_RESUPPLY_RULES_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bidopen/v1/common.pb.h"
#include "core/opening/state.h"

namespace bidopen {

// Whether the bid's stored file counts as the one its bidder signed: the
// start found it so, or its bidder put it back since (BidFileRestored).
bool StoredFileMatches(const v1::BidOpening& o);

// OK if `caller` may put back the sealed file of bid `bid` in lot `lot` at
// `now`. NOT_FOUND if the lot has no such revealed bid; PERMISSION_DENIED if
// it is another bidder's; FAILED_PRECONDITION, naming the bid and the times in
// the tender's zone, when the lot's decryption is not open (not started,
// failed, ended, the window closed, or its verdicts began), when the start
// found the stored file matching (nothing to put back), or when it was put
// back already (naming that event's seq), or when the re-supply period
// (LotOpening.resupply_end) ended or the lot's first release is in.
absl::Status CheckResupply(const TenderState& s, int lot, uint64_t bid, const v1::Party& caller,
                           absl::Time now);

// OK if `size` bytes hashing to `sha256` are the bid's sealed file as its
// bidder signed it (the statement's size and ciphertext_sha256);
// INVALID_ARGUMENT naming the size or both SHA-256s otherwise.
absl::Status CheckResuppliedFile(const fold::Bid& bid, uint64_t size, absl::string_view sha256);

// OK if one ResupplyRequest carries at most bid::kMaxChunk bytes (as an
// upload chunk); INVALID_ARGUMENT naming `data` and the limit otherwise.
absl::Status CheckResupplyMessage(uint64_t bytes);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_OPENING_RESUPPLY_RULES_H_
