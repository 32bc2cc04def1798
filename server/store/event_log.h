// The append-only event log in PostgreSQL: one installation-wide, gapless
// sequence in commit order (design.md §2; the seq is the audit-log leaf index).
// Commands are group-committed: while one batch commits, the next queues.
#ifndef BIDOPEN_SERVER_STORE_EVENT_LOG_H_
#define BIDOPEN_SERVER_STORE_EVENT_LOG_H_

#include <atomic>
#include <climits>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bidopen/v1/events.pb.h"
#include "core/clock.h"
#include "core/event_clock.h"
#include "core/opening/state.h"
#include "server/store/merkle_tree.h"
#include "server/store/pool.h"

namespace bidopen::store {

// What a command sees inside its transaction: the connection, the event time
// (EventClock::Next of the log's last event, read once after the append lock
// was taken: every deadline a command judges is judged against it), and Append.
class CommandTx {
 public:
  CommandTx(Conn& conn, absl::Time now, uint64_t next_seq, MerkleTree& tree,
            std::vector<log::NodeRef>* nodes)
      : conn_(conn), now_(now), next_seq_(next_seq), tree_(tree), nodes_(nodes) {}
  Conn& conn() { return conn_; }
  absl::Time now() const { return now_; }
  uint64_t size() const { return next_seq_; }
  // How many appends were attempted (a failed one may have written rows).
  uint64_t attempts() const { return attempts_; }

  // Sets seq, time and tender_prev on `draft`, stores its bytes, adds its leaf
  // to the Merkle tree and updates the query tables. `state`, if given, is the
  // command's state of the draft's tender (LoadTender): the event is folded
  // into it, once, and its rows are written from it.
  absl::StatusOr<v1::Event> Append(v1::Event draft, TenderState* state = nullptr);

 private:
  Conn& conn_;
  absl::Time now_;
  uint64_t next_seq_;
  MerkleTree& tree_;
  std::vector<log::NodeRef>* nodes_;
  uint64_t attempts_ = 0;
};

class EventLog {
 public:
  using Command = absl::FunctionRef<absl::Status(CommandTx&)>;
  static constexpr size_t kMaxBatch = 256;

  // `max_clock_step`: how far the wall clock may move from the monotonic
  // clock, or fall behind the last event, before writes are refused
  // (core/event_clock.h; bidopend's --max-clock-step).
  // `commit_mu` (the audit log's, may be null): held from choosing a batch's
  // time until it commits, so a head signed meanwhile waits for it.
  EventLog(Pool& pool, const Clock& clock, MerkleTree& tree,
           absl::Duration max_clock_step = EventClock::kDefaultMaxStep,
           absl::Mutex* commit_mu = nullptr)
      : pool_(pool), clock_(clock, max_clock_step), tree_(tree), commit_mu_(commit_mu) {}

  // Runs `command` in a transaction holding the log's append lock; what it
  // appends commits together with the tree nodes and query-table updates, or
  // not at all. Commands queued meanwhile share one commit; a refusal does not
  // undo the others. REQUIRES: `command` may run more than once (a batch is
  // retried command by command when one fails after writing), so it sets its
  // outputs afresh each time.
  absl::Status Run(Command command);

  // From now on Run refuses with `why` (a corrupted log found at start-up).
  void RefuseWrites(absl::Status why);

  absl::StatusOr<uint64_t> Size();
  // Another replica's appends reach this one's tree when this one appends; a
  // reader that needs the latest head (GetTreeHead, a record's closing head)
  // calls this first: one empty command, only when the stored log is longer.
  absl::Status CatchUpWithOthers();

  // The time an event appended now would get, as far as this server knows
  // the log's last event (no query); UNAVAILABLE while the clock is off. For
  // judging deadlines outside a command (discarding late uploads).
  absl::StatusOr<absl::Time> Now() const;

  // Events in seq order: one tender's, or all of [from, to).
  static absl::StatusOr<std::vector<v1::Event>> ReadTender(Conn& conn,
                                                           const std::string& tender_id);
  static absl::StatusOr<std::vector<v1::Event>> ReadRange(Conn& conn, uint64_t from, uint64_t to);

 private:
  struct Job {
    Command command;
    absl::Status result;
    bool done = false;
  };
  void DrainLocked(const Job& mine) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void RunBatch(const std::vector<Job*>& jobs);
  absl::Status RunOnce(const std::vector<Job*>& jobs);
  static void Settle(const std::vector<Job*>& jobs, const absl::Status& st);
  absl::Status RunInTx(Conn& conn, const std::vector<Job*>& jobs);
  static absl::Status RunJob(CommandTx& ctx, Job* job, bool alone);
  absl::Status CatchUp(Conn& conn, uint64_t size);
  void SeeTime(absl::Time t);

  Pool& pool_;
  EventClock clock_;
  std::atomic<int64_t> last_time_us_{INT64_MIN};  // newest event time seen
  MerkleTree& tree_;
  absl::Mutex* const commit_mu_;
  absl::Mutex mu_;
  std::deque<Job*> queue_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status refusal_ ABSL_GUARDED_BY(mu_);
};

}  // namespace bidopen::store

#endif  // BIDOPEN_SERVER_STORE_EVENT_LOG_H_
