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

// The lines of one lot's bids, with verdicts once given.
void PrintOpeningBids(std::ostream& out, const v1::Lot& lot);

// What the server said to a release (ReleaseKey, ReleaseLotKey): `what`
// names what was released ("the secret of bid #12").
void PrintReleaseResult(std::ostream& out, const v1::ReleaseResult& r, absl::string_view what);

// "DECRYPTED", "DECRYPT_FAILED", "live", ...
const char* OpeningBidStatusName(v1::BidStatus s);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_OPENING_TEXT_H_
