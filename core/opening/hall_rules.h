// The rules of a lot's live hall (docs/opening-hall.md): when a bidder signs
// in, when the results are announced, who confirms or objects and until when,
// who answers objections, when the opening closes. Pure: the server decides
// with these, and the fold (fold_hall.cc) checks the log obeyed them. Every
// refusal names the lot, the field or limit and the times in the tender's
// zone.
#ifndef BIDOPEN_CORE_OPENING_HALL_RULES_H_
#define BIDOPEN_CORE_OPENING_HALL_RULES_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bidopen/fold/state.pb.h"
#include "bidopen/v1/events.pb.h"
#include "core/opening/state.h"

namespace bidopen {

// The lot's sign-in lead (its spec, default 30 min), confirmation window
// (default 10 min) and objection limit in characters (default 2000).
absl::Duration SignInLead(const v1::LotSpec& spec);
absl::Duration ConfirmationWindow(const v1::LotSpec& spec);
int ObjectionLimit(const v1::LotSpec& spec);

// When sign-in opens: the opening time minus the lead, but never before the
// submission deadline (a sign-in shows who bid; before the deadline that
// would tell rivals who is competing).
absl::Time SignInOpens(const v1::LotSpec& spec);

// Characters (Unicode code points) of UTF-8 text.
size_t CharCount(absl::string_view utf8);

// The sign-in of `caller` to lot `lot` at `now` with its live bid `bid`
// (nullptr: the caller has none) opened by `nonce`. Returns true if the bid's
// bidder already signed in (nothing to append). PERMISSION_DENIED unless the
// bid is a live (or revealed) bid of the lot whose commitment the nonce opens for the
// caller; FAILED_PRECONDITION if the lot is cancelled or failed, before sign-in
// opens, or once the decryption window ended.
absl::StatusOr<bool> CheckSignIn(const fold::Tender& tender, int lot, const fold::Bid* bid,
                                 absl::string_view nonce, const v1::Party& caller, absl::Time now);

// The announcement of lot `lot` at `now`: its table's hash over the lot's
// revealed bids (state.bids holds them all) and the end of the confirmation
// window. FAILED_PRECONDITION before decryption ended, for a lot that failed
// at the start (nothing was revealed), or once announced.
absl::StatusOr<v1::ResultsAnnounced> DecideAnnouncement(const TenderState& state, int lot,
                                                        absl::Time now);

// A confirmation by `caller` of announcement `announcement_sha256` with its
// revealed bid `bid` (nullptr: none). Returns true if that bidder confirmed
// already (nothing to append). FAILED_PRECONDITION before the announcement,
// after the close or the window; PERMISSION_DENIED unless `bid` is the
// caller's bid revealed in the lot; INVALID_ARGUMENT naming
// announcement_sha256 if it is not the lot's announcement.
absl::StatusOr<bool> CheckConfirm(const fold::Tender& tender, int lot, const fold::Bid* bid,
                                  const v1::Party& caller, absl::string_view announcement_sha256,
                                  absl::Time now);

// An objection by `caller` with its revealed bid `bid`: as CheckConfirm for
// who and when; INVALID_ARGUMENT naming text if it is empty or longer than
// the lot's limit; FAILED_PRECONDITION once the bidder confirmed;
// RESOURCE_EXHAUSTED past kMaxObjectionsPerBidder or kMaxObjectionsPerLot.
absl::Status CheckObjection(const fold::Tender& tender, int lot, const fold::Bid* bid,
                            const v1::Party& caller, absl::string_view text, absl::Time now);

// An answer by `caller` to objection `objection` (its seq). PERMISSION_DENIED
// unless the caller is the tender's agency; INVALID_ARGUMENT naming text if
// it is empty or too long; NOT_FOUND naming the objection if the lot has no
// such objection; FAILED_PRECONDITION if it was answered.
absl::Status CheckAnswer(const fold::Tender& tender, int lot, const v1::Party& caller,
                         uint64_t objection, absl::string_view text);

// The close of lot `lot` by `caller` at `now`. PERMISSION_DENIED unless the
// caller is the tender's agency; FAILED_PRECONDITION before the announcement,
// before the confirmation window's end, a second time, or while an objection
// is unanswered (naming it and who raised it).
absl::Status CheckClose(const fold::Tender& tender, int lot, const v1::Party& caller,
                        absl::Time now);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_OPENING_HALL_RULES_H_
