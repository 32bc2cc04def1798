// The Upload streams in progress, watched by one thread for all of them:
// at most `max_per_identity` per client certificate (RESOURCE_EXHAUSTED
// beyond, before the stream holds anything), and a stream blocked in Read
// for longer than `idle` is cancelled with ServerContext::TryCancel, so its
// Read returns and it releases the bidder's slot for the lot. The bytes it
// stored stay durable: the upload resumes from them.
#ifndef BIDOPEN_SERVER_RPC_UPLOAD_STREAMS_H_
#define BIDOPEN_SERVER_RPC_UPLOAD_STREAMS_H_

#include <grpcpp/server_context.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace bidopen::rpc {

class UploadStreams {
 public:
  using Instant = std::chrono::steady_clock::time_point;

  // One stream's place in the registry; leaves it when destroyed.
  class Ticket {
   public:
    Ticket(UploadStreams& owner, uint64_t id) : owner_(owner), id_(id) {}
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    ~Ticket() { owner_.Leave(id_); }
    // Around each blocking Read: the idle clock runs only in between.
    void Waiting() { owner_.SetWaiting(id_, true); }
    void Received() { owner_.SetWaiting(id_, false); }

   private:
    UploadStreams& owner_;
    const uint64_t id_;
  };

  UploadStreams(int max_per_identity, absl::Duration idle);
  UploadStreams(const UploadStreams&) = delete;
  UploadStreams& operator=(const UploadStreams&) = delete;
  ~UploadStreams();  // stops the watchdog. REQUIRES: no ticket is left.

  // Registers the stream of `identity` (a certificate fingerprint).
  // RESOURCE_EXHAUSTED naming the limit if the identity has as many already.
  // REQUIRES: `ctx` outlives the ticket.
  absl::StatusOr<std::unique_ptr<Ticket>> Enter(grpc::ServerContext* ctx,
                                                const std::string& identity);

 private:
  struct Stream {
    grpc::ServerContext* ctx;
    std::string identity;
    std::optional<Instant> waiting_since;  // blocked in Read since
  };

  void Leave(uint64_t id);
  void SetWaiting(uint64_t id, bool waiting);
  void Watch();
  void CancelIdle(Instant now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const int max_per_identity_;
  const std::chrono::nanoseconds idle_;
  absl::Mutex mu_;
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<uint64_t, Stream> streams_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> per_identity_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread watchdog_;  // last: starts once the rest is initialised
};

}  // namespace bidopen::rpc

#endif  // BIDOPEN_SERVER_RPC_UPLOAD_STREAMS_H_
