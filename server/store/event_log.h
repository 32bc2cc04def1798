// The append-only event log in PostgreSQL: one installation-wide, gapless
// sequence in commit order (design.md §2; the seq is the audit-log leaf index).
#ifndef BIDOPEN_SERVER_STORE_EVENT_LOG_H_
#define BIDOPEN_SERVER_STORE_EVENT_LOG_H_

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bidopen/v1/events.pb.h"
#include "core/clock.h"
#include "server/store/pool.h"
#include "server/store/projector.h"

namespace bidopen::store {

// What a command sees inside its transaction: the connection, the server
// time read once after the append lock was taken, and Append.
class CommandTx {
 public:
  CommandTx(Conn& conn, absl::Time now, uint64_t next_seq)
      : conn_(conn), now_(now), next_seq_(next_seq) {}
  Conn& conn() { return conn_; }
  absl::Time now() const { return now_; }
  uint64_t size() const { return next_seq_; }

  // Sets seq and time on `draft`, stores its bytes and updates the query tables.
  absl::StatusOr<v1::Event> Append(v1::Event draft);

 private:
  Conn& conn_;
  absl::Time now_;
  uint64_t next_seq_;
};

class EventLog {
 public:
  EventLog(Pool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  // Runs `command` in one transaction holding the log's append lock; what it
  // appends commits together with the query-table updates, or not at all.
  absl::Status Run(absl::FunctionRef<absl::Status(CommandTx&)> command);

  absl::StatusOr<uint64_t> Size();

  // Events in seq order: one tender's, or all of [from, to).
  static absl::StatusOr<std::vector<v1::Event>> ReadTender(Conn& conn,
                                                           const std::string& tender_id);
  static absl::StatusOr<std::vector<v1::Event>> ReadRange(Conn& conn, uint64_t from,
                                                          uint64_t to);

 private:
  Pool& pool_;
  const Clock& clock_;
};

}  // namespace bidopen::store

#endif  // BIDOPEN_SERVER_STORE_EVENT_LOG_H_
