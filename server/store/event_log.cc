#include "server/store/event_log.h"

#include "absl/strings/str_cat.h"
#include "core/opening/event_codec.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"
#include "server/store/tx.h"

namespace bidopen::store {
namespace {

constexpr Statement kLockHead{"log_lock_head",
                              "SELECT size FROM log_head FOR UPDATE"};
constexpr Statement kReadSize{"log_size", "SELECT size FROM log_head"};
constexpr Statement kInsert{"log_insert",
                            "INSERT INTO events (seq, tender_id, kind, body) "
                            "VALUES ($1, $2, $3, $4)"};
constexpr Statement kAdvance{"log_advance", "UPDATE log_head SET size = $1"};
constexpr Statement kByTender{
    "log_by_tender",
    "SELECT seq, body FROM events WHERE tender_id = $1 AND tender_id <> '' ORDER BY seq"};
constexpr Statement kRange{
    "log_range", "SELECT seq, body FROM events WHERE seq >= $1 AND seq < $2 ORDER BY seq"};

absl::StatusOr<std::vector<v1::Event>> Decode(const Result& r) {
  std::vector<v1::Event> events;
  events.reserve(r.rows());
  for (int i = 0; i < r.rows(); ++i) {
    BO_ASSIGN_OR_RETURN(v1::Event e, DecodeEvent(r.Bytes(i, 1), r.Int64(i, 0)));
    events.push_back(std::move(e));
  }
  return events;
}

}  // namespace

absl::StatusOr<v1::Event> CommandTx::Append(v1::Event draft) {
  draft.set_seq(next_seq_);
  *draft.mutable_time() = ToProto(now_);
  std::string bytes = EncodeEvent(draft);
  BO_RETURN_IF_ERROR(conn_.Run(kInsert, Params()
                                            .Int(static_cast<int64_t>(next_seq_))
                                            .Text(draft.tender_id())
                                            .Text(EventKind(draft))
                                            .Bytes(bytes))
                         .status());
  BO_RETURN_IF_ERROR(
      conn_.Run(kAdvance, Params().Int(static_cast<int64_t>(next_seq_ + 1))).status());
  BO_RETURN_IF_ERROR(Projector::Apply(conn_, draft));
  ++next_seq_;
  return draft;
}

absl::Status EventLog::Run(absl::FunctionRef<absl::Status(CommandTx&)> command) {
  BO_ASSIGN_OR_RETURN(Pool::Lease conn, pool_.Acquire());
  Tx tx(*conn);
  BO_RETURN_IF_ERROR(tx.Begin());
  BO_ASSIGN_OR_RETURN(Result head, conn->Run(kLockHead));
  CommandTx ctx(*conn, clock_.Now(), static_cast<uint64_t>(head.Int64(0, 0)));
  BO_RETURN_IF_ERROR(command(ctx));
  return tx.Commit();
}

absl::StatusOr<uint64_t> EventLog::Size() {
  BO_ASSIGN_OR_RETURN(Pool::Lease conn, pool_.Acquire());
  BO_ASSIGN_OR_RETURN(Result r, conn->Run(kReadSize));
  return static_cast<uint64_t>(r.Int64(0, 0));
}

absl::StatusOr<std::vector<v1::Event>> EventLog::ReadTender(Conn& conn,
                                                            const std::string& id) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kByTender, Params().Text(id)));
  return Decode(r);
}

absl::StatusOr<std::vector<v1::Event>> EventLog::ReadRange(Conn& conn, uint64_t from,
                                                           uint64_t to) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kRange, Params()
                                                     .Int(static_cast<int64_t>(from))
                                                     .Int(static_cast<int64_t>(to))));
  return Decode(r);
}

}  // namespace bidopen::store
