#include "server/app/watch_access.h"

#include "core/opening/tender_rules.h"
#include "core/opening/watch_rules.h"
#include "core/status_macros.h"
#include "server/app/opening_internal.h"
#include "server/store/bid_store.h"
#include "server/store/fold_rows.h"

namespace bidopen::app {

absl::Status CheckWatchAccess(store::Pool& pool, const v1::Party& caller, const v1::LotRef& ref) {
  BO_RETURN_IF_ERROR(opening_internal::CheckLotRef(ref));
  BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool.Acquire());
  BO_ASSIGN_OR_RETURN(TenderState state, store::LoadTender(*conn, ref.tender_id()));
  BO_ASSIGN_OR_RETURN(const fold::Lot* lot, FindLot(state.tender, ref.lot()));
  bool bid = false;
  if (caller.role() == v1::ROLE_BIDDER) {
    BO_ASSIGN_OR_RETURN(auto newest,
                        store::NewestBid(*conn, ref.tender_id(), ref.lot(), caller.fingerprint()));
    bid = newest.has_value();
  }
  return CheckWatcher(caller, state.tender, *lot, bid);
}

}  // namespace bidopen::app
