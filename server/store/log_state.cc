#include "server/store/log_state.h"

#include "absl/strings/str_cat.h"
#include "core/opening/fold.h"
#include "core/status_macros.h"
#include "server/store/event_log.h"

namespace bidopen::store {

absl::StatusOr<TenderState> FoldTenderFromLog(Conn& conn, const std::string& tender_id) {
  BO_ASSIGN_OR_RETURN(std::vector<v1::Event> events, EventLog::ReadTender(conn, tender_id));
  absl::StatusOr<TenderState> state = FoldTender(events);
  if (absl::IsNotFound(state.status()))
    return absl::NotFoundError(absl::StrCat("tender ", tender_id, " not found"));
  return state;
}

}  // namespace bidopen::store
