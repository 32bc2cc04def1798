// Who may watch a lot's hall (issue 12, visibility): supervisors and
// auditors any lot; the agency its own tenders; a custodian the lots it is a
// custodian of; a bidder the lots it has bid on. Pure: the caller says
// whether the bidder has a bid in the lot (the bids table knows it before the
// opening reveals it in the log).
#ifndef BIDOPEN_CORE_OPENING_WATCH_RULES_H_
#define BIDOPEN_CORE_OPENING_WATCH_RULES_H_

#include "absl/status/status.h"
#include "bidopen/fold/state.pb.h"
#include "bidopen/v1/common.pb.h"

namespace bidopen {

// OK, or PERMISSION_DENIED saying who may watch the lot and why the caller
// may not. REQUIRES: `lot` is a lot of `tender`.
absl::Status CheckWatcher(const v1::Party& caller, const fold::Tender& tender, const fold::Lot& lot,
                          bool caller_bid_in_lot);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_OPENING_WATCH_RULES_H_
