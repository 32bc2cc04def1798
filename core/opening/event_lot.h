// Which lot an event belongs to, for the live hall's Watch (a watcher of a lot
// sees the tender's own events and that lot's). Every event kind is named.
#ifndef BIDOPEN_CORE_OPENING_EVENT_LOT_H_
#define BIDOPEN_CORE_OPENING_EVENT_LOT_H_

#include "bidopen/v1/events.pb.h"

namespace bidopen {

// The event's lot (1-based); 0 for an event of the whole tender (its
// creation, the cancellation of every lot, its custodians' keys); -1 for an
// event of no tender (keys, revocations) or of no known kind.
int EventLot(const v1::Event& event);

// Whether a watcher of `lot` of `tender_id` is shown `event`.
bool ShownToLotWatcher(const v1::Event& event, const std::string& tender_id, int lot);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_OPENING_EVENT_LOT_H_
