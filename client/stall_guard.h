// A watchdog for one streaming call: cancels it when nothing moved for a
// while, so a stalled network fails the attempt (and the caller retries)
// instead of hanging forever.
#ifndef BIDOPEN_CLIENT_STALL_GUARD_H_
#define BIDOPEN_CLIENT_STALL_GUARD_H_

#include <grpcpp/client_context.h>

#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace bidopen::client {

class StallGuard {
 public:
  // Watches `ctx` (which must outlive the guard) from now on.
  StallGuard(grpc::ClientContext* ctx, absl::Duration limit);
  StallGuard(const StallGuard&) = delete;
  StallGuard& operator=(const StallGuard&) = delete;
  ~StallGuard();

  // Something moved: the clock starts again.
  void Touch();
  // Whether the guard cancelled the call.
  bool fired();

 private:
  void Run();

  grpc::ClientContext* const ctx_;
  const absl::Duration limit_;
  absl::Mutex mu_;
  absl::Time last_ ABSL_GUARDED_BY(mu_);
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  bool fired_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;  // last: starts once the rest is initialised
};

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_STALL_GUARD_H_
