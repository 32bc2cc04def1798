// The watchers of the watch benchmark (bench/README.md "Watch"): thousands of
// OpeningService.Watch streams held by one process with gRPC's callback API
// (a ClientReadReactor each, no thread of their own) over a few channels
// (one TCP connection per `per_channel` watchers, below bidopend's cap of
// streams per connection). Each records when it received each benchmark
// event (a LotAmended whose reason is "bench <k>").
#ifndef BIDOPEN_BENCH_WATCH_CLIENT_H_
#define BIDOPEN_BENCH_WATCH_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bidopen/v1/opening.grpc.pb.h"

namespace bidopen::bench {

class Watcher;

class WatcherSet {
 public:
  // `events`: how many benchmark events each watcher waits for.
  explicit WatcherSet(int events);
  ~WatcherSet();  // cancels every watch and waits for each to end

  // Opens `n` watches of `lot` from `from_seq` as <pki>/<identity>, on
  // ceil(n / per_channel) new channels.
  absl::Status Open(const std::string& server, const std::string& pki, const std::string& identity,
                    const v1::LotRef& lot, uint64_t from_seq, int n, int per_channel);
  // Waits until every watcher received an update (a heartbeat at the latest),
  // up to `limit`; how many did.
  int WaitReady(absl::Duration limit);
  // Waits until every watcher received every event, or `limit`; how many
  // (watcher, event) receipts there are.
  int64_t WaitAll(absl::Duration limit);
  // Latencies, ms: receipt minus sent[k], for every receipt.
  std::vector<double> Latencies(const std::vector<absl::Time>& sent) const;
  // Watches that ended (with an error) before being cancelled.
  int Ended() const;
  int size() const { return static_cast<int>(watchers_.size()); }

  // Called by the watchers.
  void Received();
  void Ready();

 private:
  bool AllReady() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool AllReceived() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const int events_;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::vector<std::unique_ptr<v1::OpeningService::Stub>> stubs_;
  std::vector<std::unique_ptr<Watcher>> watchers_;
  mutable absl::Mutex mu_;
  int64_t received_ ABSL_GUARDED_BY(mu_) = 0;
  int ready_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace bidopen::bench

#endif  // BIDOPEN_BENCH_WATCH_CLIENT_H_
