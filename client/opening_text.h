// A lot's opening for people: phase, countdown, the bids with who released
// and what opened, and once decryption ended the verdicts with their fault and
// consequence and the announced values (with the form's units).
#ifndef BIDOPEN_CLIENT_OPENING_TEXT_H_
#define BIDOPEN_CLIENT_OPENING_TEXT_H_

#include <ostream>

#include "client/opening_view.h"

namespace bidopen::client {

// Phase, times, counts, custodians and every bid.
void PrintOpening(std::ostream& out, const OpeningView& v);

// The lines of one lot's bids, with verdicts once given. `lot_name`
// ("T-…/1") goes into the hint for a bid whose stored file the start found
// altered (review 4 R5: its bidder can put it back).
void PrintOpeningBids(std::ostream& out, const v1::Lot& lot, absl::string_view lot_name = "T/L");

// Review 4 R5: the line telling the bidder of a bid the start found altered
// that it can put the sealed file back, and how; empty if there is nothing to
// put back (or it is too late: the verdicts began).
std::string ResupplyHint(const v1::BidOpening& o, uint64_t bid, absl::string_view lot_name);

// What the server said to a release (ReleaseKey, ReleaseLotKey): `what`
// names what was released ("the secret of bid #12").
void PrintReleaseResult(std::ostream& out, const v1::ReleaseResult& r, absl::string_view what);

// "DECRYPTED", "DECRYPT_FAILED", "live", ...
const char* OpeningBidStatusName(v1::BidStatus s);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_OPENING_TEXT_H_
