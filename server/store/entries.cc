#include "server/store/entries.h"

#include "core/status_macros.h"

namespace bidopen::store {
namespace {

constexpr Statement kSize{"entries_log_size", "SELECT size FROM log_head"};
constexpr Statement kRange{
    "entries_range",
    "SELECT seq, body FROM events WHERE seq >= $1 AND seq < $2 ORDER BY seq LIMIT $3"};
constexpr Statement kTender{
    "entries_tender",
    "SELECT seq, body FROM events WHERE tender_id = $1 AND tender_id <> '' AND seq >= $2"
    " AND seq < $3 ORDER BY seq LIMIT $4"};

std::vector<v1::LogEntry> ToEntries(const Result& r) {
  std::vector<v1::LogEntry> out(r.rows());
  for (int i = 0; i < r.rows(); ++i) {
    out[i].set_seq(static_cast<uint64_t>(r.Int64(i, 0)));
    out[i].set_event(std::string(r.Bytes(i, 1)));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<v1::LogEntry>> ReadEntries(Conn& conn, uint64_t from, uint64_t to,
                                                      int limit) {
  BO_ASSIGN_OR_RETURN(
      Result r,
      conn.Run(kRange,
               Params().Int(static_cast<int64_t>(from)).Int(static_cast<int64_t>(to)).Int(limit)));
  return ToEntries(r);
}

absl::StatusOr<uint64_t> LogSize(Conn& conn) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kSize));
  return static_cast<uint64_t>(r.Int64(0, 0));
}

absl::StatusOr<std::vector<v1::LogEntry>> ReadTenderEntries(Conn& conn,
                                                            const std::string& tender_id,
                                                            uint64_t to) {
  return ReadTenderEntries(conn, tender_id, 0, to, INT32_MAX);
}

absl::StatusOr<std::vector<v1::LogEntry>> ReadTenderEntries(Conn& conn,
                                                            const std::string& tender_id,
                                                            uint64_t from, uint64_t to, int limit) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kTender, Params()
                                                      .Text(tender_id)
                                                      .Int(static_cast<int64_t>(from))
                                                      .Int(static_cast<int64_t>(to))
                                                      .Int(limit)));
  return ToEntries(r);
}

}  // namespace bidopen::store
