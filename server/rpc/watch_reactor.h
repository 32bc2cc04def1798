// One Watch call (OpeningService.Watch): a gRPC callback-API write reactor
// that is also an EventHub subscriber. It sends the lot's backlog from
// `from_seq`, then what the hub hands it, one write in flight at a time;
// heartbeats are coalesced (only the newest waits). A watcher that falls
// kMaxQueued updates behind is ended with RESOURCE_EXHAUSTED saying the
// from_seq to resume with. No thread of its own.
//
// Its lock is a std::mutex, not an absl::Mutex: the hub locks every watcher's
// while holding its own, and absl's deadlock detection (on in Debian's
// build) kept a graph node per watcher and walked it on every lock — 7% of
// bidopend's CPU with 10,000 watchers (bench/README.md "Watch").
#ifndef BIDOPEN_SERVER_RPC_WATCH_REACTOR_H_
#define BIDOPEN_SERVER_RPC_WATCH_REACTOR_H_

#include <grpcpp/grpcpp.h>

#include <deque>
#include <memory>
#include <mutex>
#include <optional>

#include "absl/status/status.h"
#include "bidopen/v1/opening.pb.h"
#include "server/store/pool.h"
#include "server/watch/event_hub.h"

namespace bidopen::rpc {

class WatchReactor final : public grpc::ServerWriteReactor<v1::WatchUpdate>,
                           public watch::Subscriber {
 public:
  static constexpr size_t kMaxQueued = 20000;

  explicit WatchReactor(watch::EventHub& hub) : hub_(hub) {}

  // Subscribes, then queues the backlog [from_seq, the hub's seq) read from
  // the store before what the hub hands over meanwhile. OUT_OF_RANGE if
  // `from_seq` is beyond the log's end.
  absl::Status Begin(store::Pool& pool, const v1::WatchRequest& req);
  // Ends the call with `st` (before Begin, or when Begin failed).
  void Fail(const grpc::Status& st);

  void OnEntry(const std::shared_ptr<const watch::HubEntry>& entry) override;
  void OnHeartbeat(const std::shared_ptr<const v1::SignedTreeHead>& head) override;
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  void Queue(v1::WatchUpdate u);            // REQUIRES: mu_ held
  void WriteNext();                         // REQUIRES: mu_ held
  void FinishOnce(const grpc::Status& st);  // REQUIRES: mu_ held

  watch::EventHub& hub_;
  bool subscribed_ = false;
  std::mutex mu_;  // guards the members below
  std::deque<v1::WatchUpdate> queue_;
  std::shared_ptr<const v1::SignedTreeHead> beat_;  // the newest, unsent
  v1::WatchUpdate writing_;
  bool ready_ = false;  // the backlog is queued: writes may start
  bool in_flight_ = false;
  bool finished_ = false;
  uint64_t next_seq_ = 0;  // entries below it are not sent (again)
};

}  // namespace bidopen::rpc

#endif  // BIDOPEN_SERVER_RPC_WATCH_REACTOR_H_
