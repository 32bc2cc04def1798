// The one reader of stored events: (seq, event bytes) pairs, as served to
// auditors, checked at start-up, and decoded by EventLog::ReadRange.
#ifndef BIDOPEN_SERVER_STORE_ENTRIES_H_
#define BIDOPEN_SERVER_STORE_ENTRIES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bidopen/v1/audit.pb.h"
#include "server/store/pg.h"

namespace bidopen::store {

// The log's size: how many events are committed.
absl::StatusOr<uint64_t> LogSize(Conn& conn);

// Up to `limit` entries of [from, to), in seq order.
absl::StatusOr<std::vector<v1::LogEntry>> ReadEntries(Conn& conn, uint64_t from, uint64_t to,
                                                      int limit);

// Every entry of one tender below `to`, in seq order.
absl::StatusOr<std::vector<v1::LogEntry>> ReadTenderEntries(Conn& conn,
                                                            const std::string& tender_id,
                                                            uint64_t to);

// Up to `limit` entries of one tender in [from, to), in seq order.
absl::StatusOr<std::vector<v1::LogEntry>> ReadTenderEntries(Conn& conn,
                                                            const std::string& tender_id,
                                                            uint64_t from, uint64_t to, int limit);

}  // namespace bidopen::store

#endif  // BIDOPEN_SERVER_STORE_ENTRIES_H_
