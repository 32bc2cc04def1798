// The API's view of the fold's state (design.md §2: API messages are made from
// the state at the edge, never folded into).
#ifndef BIDOPEN_CORE_OPENING_TENDER_VIEW_H_
#define BIDOPEN_CORE_OPENING_TENDER_VIEW_H_

#include "bidopen/v1/tender.pb.h"
#include "core/opening/state.h"

namespace bidopen {

v1::BidEntry BidView(const fold::Bid& bid);

// The lot without its bids.
v1::Lot LotView(const fold::Lot& lot);

// Each lot lists the bids of `state.bids` that belong to it, by seq.
v1::Tender TenderView(const TenderState& state);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_OPENING_TENDER_VIEW_H_
