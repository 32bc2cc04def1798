#include "server/store/lot_schedule.h"

#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen::store {
namespace {

constexpr Statement kUpsert{
    "ls_upsert",
    "INSERT INTO lot_schedule (tender_id, lot, opening_us, auto_start, status, window_end_us)"
    " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tender_id, lot) DO UPDATE SET"
    " opening_us = $3, auto_start = $4, status = $5, window_end_us = $6"};
// Statuses before the opening: scheduled, postponed, submission closed.
constexpr Statement kDue{"ls_due",
                         "SELECT tender_id, lot FROM lot_schedule WHERE auto_start AND status IN "
                         "(1, 2, 3) AND opening_us <= $1 ORDER BY opening_us LIMIT 100"};
constexpr Statement kDecrypting{"ls_decrypting",
                                "SELECT tender_id, lot FROM lot_schedule WHERE status = 5"
                                " ORDER BY window_end_us"};

constexpr Statement kAnnouncing{"ls_announcing",
                                "SELECT tender_id, lot FROM lot_schedule WHERE status = 6"
                                " ORDER BY window_end_us LIMIT 100"};

int64_t Micros(const google::protobuf::Timestamp& t) { return absl::ToUnixMicros(FromProto(t)); }

absl::StatusOr<std::vector<LotKey>> Keys(const Result& r) {
  std::vector<LotKey> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back({std::string(r.Bytes(i, 0)), r.Int32(i, 1)});
  return out;
}

}  // namespace

bool ChangesSchedule(const v1::Event& e) {
  return e.has_tender_created() || e.has_lot_amended() || e.has_tender_cancelled() ||
         e.has_opening_started() || e.has_decryption_ended() || e.has_results_announced() ||
         e.has_opening_closed();
}

absl::Status WriteSchedule(Conn& conn, const fold::Tender& t) {
  for (const fold::Lot& lot : t.lots()) {
    const int64_t window_end =
        lot.opening().has_window_end() ? Micros(lot.opening().window_end()) : 0;
    BO_RETURN_IF_ERROR(conn.Run(kUpsert, Params()
                                             .Text(t.id())
                                             .Int(lot.number())
                                             .Int(Micros(lot.spec().opening_time()))
                                             .Bool(lot.spec().auto_start())
                                             .Int(lot.status())
                                             .Int(window_end))
                           .status());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<LotKey>> DueAutoStarts(Conn& conn, absl::Time now) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kDue, Params().Int(absl::ToUnixMicros(now))));
  return Keys(r);
}

absl::StatusOr<std::vector<LotKey>> DecryptingLots(Conn& conn) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kDecrypting));
  return Keys(r);
}

absl::StatusOr<std::vector<LotKey>> AnnouncingLots(Conn& conn) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kAnnouncing));
  return Keys(r);
}

}  // namespace bidopen::store
