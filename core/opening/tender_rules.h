// Decisions on tender commands: given the folded state, the caller and the
// server time, return the event body to append or the precise refusal.
#ifndef BIDOPEN_CORE_OPENING_TENDER_RULES_H_
#define BIDOPEN_CORE_OPENING_TENDER_RULES_H_

#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bidopen/fold/state.pb.h"
#include "bidopen/v1/events.pb.h"
#include "bidopen/v1/tender.pb.h"
#include "core/opening/state.h"

namespace bidopen {

// PERMISSION_DENIED unless `actor` is the agency that created the tender;
// `verb` names what it may not do ("amend", "start the opening of").
absl::Status CheckOwner(const fold::Tender& tender, const v1::Party& actor, absl::string_view verb);

// The lot numbered `number`; NOT_FOUND naming the lots the tender has.
absl::StatusOr<const fold::Lot*> FindLot(const fold::Tender& tender, int number);

// REQUIRES: `custodians` holds the registered custodians' entries (with their
// per-lot keys). Every deadline must be at least `min_lead` after `now`. Each
// custodian of a lot is given its next unused per-lot key (LotSpec.custodian_keys).
absl::StatusOr<v1::TenderCreated> DecideCreate(const v1::CreateTenderRequest& req, absl::Time now,
                                               const KeyRegistry& custodians,
                                               absl::Duration min_lead = absl::ZeroDuration());

// The deadline and opening time an amendment `req` gives a lot whose times are
// `deadline` and `opening`: each time the request gives, else the current one;
// an opening held at the deadline (the usual case) moves with a new deadline
// when the request gives no opening time. DecideAmend's, and the fold's check
// of a signed amendment (review 5 S1: a deadline-only request must not come
// with an opening time of the operator's choosing).
struct AmendedTimes {
  google::protobuf::Timestamp deadline;
  google::protobuf::Timestamp opening;
};
AmendedTimes AmendTimes(const v1::AmendLotRequest& req, const google::protobuf::Timestamp& deadline,
                        const google::protobuf::Timestamp& opening);

// REQUIRES: `tender` is the fold of the tender's events. A lot whose opening
// time equals its deadline keeps them equal when only the deadline is amended.
absl::StatusOr<v1::LotAmended> DecideAmend(const fold::Tender& tender,
                                           const v1::AmendLotRequest& req, const v1::Party& actor,
                                           absl::Time now,
                                           absl::Duration min_lead = absl::ZeroDuration());

// FAILED_PRECONDITION if lot `lot` (0: any lot) is decrypting: a lot whose
// bidders were revealed and whose bids are opening gets its verdicts first, so
// nobody can stop an opening once it shows who is in or out.
absl::Status CheckNoDecryptionUnderway(const fold::Tender& tender, int lot);

absl::StatusOr<v1::TenderCancelled> DecideCancel(const fold::Tender& tender,
                                                 const v1::CancelTenderRequest& req,
                                                 const v1::Party& actor);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_OPENING_TENDER_RULES_H_
