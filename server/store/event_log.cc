#include "server/store/event_log.h"

#include "absl/strings/str_cat.h"
#include "core/opening/event_codec.h"
#include "core/opening/limits.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"
#include "server/store/entries.h"
#include "server/store/fold_rows.h"
#include "server/store/merkle_store.h"
#include "server/store/projector.h"
#include "server/store/tx.h"

namespace bidopen::store {
namespace {

constexpr Statement kLockHead{"log_lock_head",
                              "SELECT size, last_time_us FROM log_head FOR UPDATE"};
constexpr Statement kReadSize{"log_size", "SELECT size FROM log_head"};
constexpr Statement kInsert{"log_insert",
                            "INSERT INTO events (seq, tender_id, kind, body) "
                            "VALUES ($1, $2, $3, $4)"};
constexpr Statement kAdvance{"log_advance", "UPDATE log_head SET size = $1, last_time_us = $2"};
// Delivered at commit to every connection that LISTENs (watch/event_hub.h),
// on every replica: the payload is the log's new size.
constexpr Statement kNotify{"log_notify", "SELECT pg_notify('bidopen_events', $1)"};
constexpr int kPage = 10000;  // entries per read

absl::StatusOr<std::vector<v1::Event>> Decode(const std::vector<v1::LogEntry>& entries) {
  std::vector<v1::Event> events;
  events.reserve(entries.size());
  for (const v1::LogEntry& entry : entries) {
    BO_ASSIGN_OR_RETURN(v1::Event e, DecodeEvent(entry.event(), entry.seq()));
    events.push_back(std::move(e));
  }
  return events;
}

// 1 + the seq of the tender's newest event (0 for its first): from the
// command's state, else from the tender's row (no scan of its events).
absl::StatusOr<uint64_t> TenderPrev(Conn& conn, const v1::Event& draft, const TenderState* state) {
  if (draft.tender_id().empty() || draft.has_tender_created()) return 0;
  if (state != nullptr && !state->tender.id().empty()) return state->tender.last_seq() + 1;
  BO_ASSIGN_OR_RETURN(std::optional<uint64_t> last, LastSeq(conn, draft.tender_id()));
  if (!last) return absl::NotFoundError(absl::StrCat("tender ", draft.tender_id(), " not found"));
  return *last + 1;
}

// Rounded up, so that max(wall clock, stored time) is never before the event.
int64_t CeilMicros(absl::Time t) {
  return absl::ToInt64Microseconds(absl::Ceil(t - absl::UnixEpoch(), absl::Microseconds(1)));
}

// The time of the log's newest event: from the head row, or (a log from
// before migration 0009) from the event itself; InfinitePast for none.
absl::StatusOr<absl::Time> LastTime(Conn& conn, const Result& head) {
  const auto size = static_cast<uint64_t>(head.Int64(0, 0));
  if (!head.IsNull(0, 1)) return absl::FromUnixMicros(head.Int64(0, 1));
  if (size == 0) return absl::InfinitePast();
  BO_ASSIGN_OR_RETURN(auto entries, ReadEntries(conn, size - 1, size, 1));
  if (entries.empty()) return absl::DataLossError(absl::StrCat("event ", size - 1, " is missing"));
  BO_ASSIGN_OR_RETURN(v1::Event last, DecodeEvent(entries.front().event(), size - 1));
  return FromProto(last.time());
}

}  // namespace

absl::StatusOr<v1::Event> CommandTx::Append(v1::Event draft, TenderState* state) {
  draft.set_seq(next_seq_);
  *draft.mutable_time() = ToProto(now_);
  BO_ASSIGN_OR_RETURN(uint64_t prev, TenderPrev(conn_, draft, state));
  draft.set_tender_prev(prev);
  std::string bytes = EncodeEvent(draft);
  if (bytes.size() > limits::kMaxEventBytes)  // refused before anything is written
    return absl::InvalidArgumentError(
        absl::StrCat("the ", EventKind(draft), " event this request makes would be ", bytes.size(),
                     " bytes; the log takes events of at most ", limits::kMaxEventBytes,
                     " bytes (fewer lots, custodians or form fields)"));
  ++attempts_;
  BO_RETURN_IF_ERROR(conn_
                         .Run(kInsert, Params()
                                           .Int(static_cast<int64_t>(next_seq_))
                                           .Text(draft.tender_id())
                                           .Text(EventKind(draft))
                                           .Bytes(bytes))
                         .status());
  BO_RETURN_IF_ERROR(Projector::Apply(conn_, draft, state));
  tree_.Append(log::LeafHash(bytes), nodes_);
  ++next_seq_;
  return draft;
}

absl::Status EventLog::Run(Command command) {
  Job job{command, absl::OkStatus(), false};
  absl::MutexLock lock(&mu_);
  if (!refusal_.ok()) return refusal_;
  queue_.push_back(&job);
  while (!job.done) {
    if (!writing_) {
      writing_ = true;
      DrainLocked(job);
      writing_ = false;  // hand the writer role to a waiting caller
    } else {
      auto ready = [this, &job]()
                       ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return job.done || !writing_; };
      mu_.Await(absl::Condition(&ready));
    }
  }
  return job.result;
}

// Writes batches until `mine` is done, then returns so its caller is not held
// by later arrivals (they elect the next writer).
void EventLog::DrainLocked(const Job& mine) {
  while (!mine.done && !queue_.empty()) {
    std::vector<Job*> batch;
    while (!queue_.empty() && batch.size() < kMaxBatch) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    mu_.Unlock();
    RunBatch(batch);
    mu_.Lock();
    for (Job* j : batch) j->done = true;
  }
}

void EventLog::RunBatch(const std::vector<Job*>& jobs) {
  absl::Status st = RunOnce(jobs);
  if (!absl::IsAborted(st) || jobs.size() == 1) return Settle(jobs, st);
  // A command failed after writing: nothing of the batch was kept. Run each
  // alone so the others are not refused for it.
  for (Job* job : jobs) {
    job->result = absl::OkStatus();
    Settle({job}, RunOnce({job}));
  }
}

absl::Status EventLog::RunOnce(const std::vector<Job*>& jobs) {
  absl::MutexLockMaybe commit(commit_mu_);
  const uint64_t start = tree_.size();
  auto conn = pool_.Acquire();
  absl::Status st = conn.ok() ? RunInTx(**conn, jobs) : conn.status();
  if (st.ok()) {
    tree_.Commit();
  } else {
    tree_.Rollback(start);
  }
  return st;
}

void EventLog::Settle(const std::vector<Job*>& jobs, const absl::Status& st) {
  if (st.ok()) return;
  for (Job* j : jobs)
    if (j->result.ok()) j->result = st;
}

absl::Status EventLog::RunInTx(Conn& conn, const std::vector<Job*>& jobs) {
  Tx tx(conn);
  BO_RETURN_IF_ERROR(tx.Begin());
  BO_ASSIGN_OR_RETURN(Result head, conn.Run(kLockHead));
  BO_RETURN_IF_ERROR(CatchUp(conn, static_cast<uint64_t>(head.Int64(0, 0))));
  BO_ASSIGN_OR_RETURN(absl::Time last, LastTime(conn, head));
  SeeTime(last);
  BO_ASSIGN_OR_RETURN(absl::Time now, clock_.Next(last));
  std::vector<log::NodeRef> nodes;
  CommandTx ctx(conn, now, tree_.size(), tree_, &nodes);
  const uint64_t start = ctx.size();
  for (Job* job : jobs) BO_RETURN_IF_ERROR(RunJob(ctx, job, jobs.size() == 1));
  if (ctx.size() == start) return absl::OkStatus();  // nothing to commit
  BO_RETURN_IF_ERROR(InsertNodes(conn, nodes));
  BO_RETURN_IF_ERROR(
      conn.Run(kAdvance, Params().Int(static_cast<int64_t>(ctx.size())).Int(CeilMicros(now)))
          .status());
  BO_RETURN_IF_ERROR(Projector::MarkApplied(conn, ctx.size()));
  BO_RETURN_IF_ERROR(conn.Run(kNotify, Params().Text(absl::StrCat(ctx.size()))).status());
  BO_RETURN_IF_ERROR(tx.Commit());
  SeeTime(now);
  return absl::OkStatus();
}

void EventLog::SeeTime(absl::Time t) {
  const int64_t us = absl::ToUnixMicros(t);
  int64_t seen = last_time_us_.load();
  while (us > seen && !last_time_us_.compare_exchange_weak(seen, us)) {
  }
}

absl::StatusOr<absl::Time> EventLog::Now() const {
  const int64_t us = last_time_us_.load();
  return clock_.Next(us == INT64_MIN ? absl::InfinitePast() : absl::FromUnixMicros(us));
}

// Runs one command. Its refusal goes to job->result. A refusal before it
// wrote anything costs nothing; after a write (or a database error) the batch
// can't keep the others' work without savepoints, so it returns ABORTED and
// RunBatch retries the commands one by one.
absl::Status EventLog::RunJob(CommandTx& ctx, Job* job, bool alone) {
  const uint64_t mark = ctx.attempts();
  job->result = job->command(ctx);
  if (job->result.ok()) return absl::OkStatus();
  bool clean = ctx.attempts() == mark && ctx.conn().InCleanTransaction();
  if (clean || alone) return clean ? absl::OkStatus() : job->result;
  return absl::AbortedError("a command failed after writing; retrying the batch one by one");
}

// Another replica may have appended since this one last wrote: add those
// leaves to the in-memory tree (their nodes are stored already).
absl::Status EventLog::CatchUp(Conn& conn, uint64_t size) {
  if (tree_.size() > size)
    return absl::DataLossError(absl::StrCat("the log has ", size, " events but this server's ",
                                            "tree has ", tree_.size(), "; restart it"));
  for (uint64_t from = tree_.size(); from < size;) {
    BO_ASSIGN_OR_RETURN(auto entries, ReadEntries(conn, from, size, kPage));
    if (entries.empty() || entries.front().seq() != from)
      return absl::DataLossError(absl::StrCat("event ", from, " is missing"));
    std::vector<log::NodeRef> ignored;
    for (const v1::LogEntry& entry : entries) tree_.Append(log::LeafHash(entry.event()), &ignored);
    from += entries.size();
  }
  tree_.Commit();
  return absl::OkStatus();
}

void EventLog::RefuseWrites(absl::Status why) {
  absl::MutexLock lock(&mu_);
  refusal_ = std::move(why);
}

absl::Status EventLog::CatchUpWithOthers() {
  BO_ASSIGN_OR_RETURN(uint64_t size, Size());
  if (size <= tree_.committed_size()) return absl::OkStatus();
  return Run([](CommandTx&) { return absl::OkStatus(); });
}

absl::StatusOr<uint64_t> EventLog::Size() {
  BO_ASSIGN_OR_RETURN(Pool::Lease conn, pool_.Acquire());
  BO_ASSIGN_OR_RETURN(Result r, conn->Run(kReadSize));
  return static_cast<uint64_t>(r.Int64(0, 0));
}

absl::StatusOr<std::vector<v1::Event>> EventLog::ReadTender(Conn& conn, const std::string& id) {
  BO_ASSIGN_OR_RETURN(auto entries, ReadTenderEntries(conn, id, INT64_MAX));
  return Decode(entries);
}

absl::StatusOr<std::vector<v1::Event>> EventLog::ReadRange(Conn& conn, uint64_t from, uint64_t to) {
  std::vector<v1::LogEntry> all;
  while (from < to) {
    BO_ASSIGN_OR_RETURN(auto entries, ReadEntries(conn, from, to, kPage));
    if (entries.empty()) break;
    from = entries.back().seq() + 1;
    for (v1::LogEntry& e : entries) all.push_back(std::move(e));
  }
  return Decode(all);
}

}  // namespace bidopen::store
