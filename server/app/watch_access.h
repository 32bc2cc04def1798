// Whether a caller may watch a lot (OpeningService.Watch): the lot exists and
// core's rule (core/opening/watch_rules.h) admits the caller, with whether a
// bidder has a bid in the lot taken from the bids table.
#ifndef BIDOPEN_SERVER_APP_WATCH_ACCESS_H_
#define BIDOPEN_SERVER_APP_WATCH_ACCESS_H_

#include "absl/status/status.h"
#include "bidopen/v1/opening.pb.h"
#include "server/store/pool.h"

namespace bidopen::app {

// INVALID_ARGUMENT for a malformed lot, NOT_FOUND for an unknown tender or
// lot, PERMISSION_DENIED from the rule.
absl::Status CheckWatchAccess(store::Pool& pool, const v1::Party& caller, const v1::LotRef& lot);

}  // namespace bidopen::app

#endif  // BIDOPEN_SERVER_APP_WATCH_ACCESS_H_
