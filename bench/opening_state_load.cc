#include "bench/opening_state_load.h"

#include <memory>
#include <vector>

#include "bench/bench_util.h"
#include "core/status_macros.h"
#include "server/store/event_log.h"
#include "server/store/fold_rows.h"
#include "server/store/log_state.h"
#include "server/store/pg.h"

namespace bidopen::bench {
absl::StatusOr<StateLoadTimes> TimeStateLoads(const std::string& conninfo,
                                              const std::string& tender_id, int lot, int rounds) {
  BO_ASSIGN_OR_RETURN(std::unique_ptr<store::Conn> conn, store::Conn::Open(conninfo));
  std::vector<double> fold, rows;
  StateLoadTimes out;
  for (int i = 0; i < rounds; ++i) {
    auto t0 = SteadyClock::now();
    BO_ASSIGN_OR_RETURN(TenderState folded, store::FoldTenderFromLog(*conn, tender_id));
    fold.push_back(SecondsSince(t0) * 1e3);
    t0 = SteadyClock::now();
    BO_ASSIGN_OR_RETURN(TenderState loaded, store::LoadTender(*conn, tender_id));
    BO_RETURN_IF_ERROR(store::LoadLotBids(*conn, lot, &loaded));
    rows.push_back(SecondsSince(t0) * 1e3);
    out.bids = folded.bids.size();
  }
  BO_ASSIGN_OR_RETURN(std::vector<v1::Event> events, store::EventLog::ReadTender(*conn, tender_id));
  out.events = events.size();
  out.fold_ms = Quantile(fold, 0.5);
  out.rows_ms = Quantile(rows, 0.5);
  return out;
}

}  // namespace bidopen::bench
