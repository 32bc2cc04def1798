// The lot_schedule query table (migration 0010): each lot's opening time,
// auto-start flag and status from the fold, so the server's opener finds the
// lots to start or finish without reading every tender.
#ifndef BIDOPEN_SERVER_STORE_LOT_SCHEDULE_H_
#define BIDOPEN_SERVER_STORE_LOT_SCHEDULE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bidopen/fold/state.pb.h"
#include "bidopen/v1/events.pb.h"
#include "server/store/pg.h"

namespace bidopen::store {

// Whether an event changes what lot_schedule holds for its tender.
bool ChangesSchedule(const v1::Event& event);

// Writes every lot of the tender as the fold holds it.
absl::Status WriteSchedule(Conn& conn, const fold::Tender& tender);

struct LotKey {
  std::string tender_id;
  int lot = 0;
};

// Auto-start lots whose opening time is at or before `now` and whose opening
// has not started (not cancelled).
absl::StatusOr<std::vector<LotKey>> DueAutoStarts(Conn& conn, absl::Time now);
// Lots whose decryption is under way.
absl::StatusOr<std::vector<LotKey>> DecryptingLots(Conn& conn);
// Lots whose decryption ended and whose results were not announced.
absl::StatusOr<std::vector<LotKey>> AnnouncingLots(Conn& conn);

}  // namespace bidopen::store

#endif  // BIDOPEN_SERVER_STORE_LOT_SCHEDULE_H_
