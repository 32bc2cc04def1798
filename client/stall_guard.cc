#include "client/stall_guard.h"

#include "absl/time/clock.h"

namespace bidopen::client {

StallGuard::StallGuard(grpc::ClientContext* ctx, absl::Duration limit)
    : ctx_(ctx), limit_(limit), last_(absl::Now()), thread_([this] { Run(); }) {}

StallGuard::~StallGuard() {
  {
    absl::MutexLock lock(&mu_);
    done_ = true;
  }
  thread_.join();
}

void StallGuard::Touch() {
  absl::MutexLock lock(&mu_);
  last_ = absl::Now();
}

bool StallGuard::fired() {
  absl::MutexLock lock(&mu_);
  return fired_;
}

void StallGuard::Run() {
  absl::MutexLock lock(&mu_);
  while (!done_ && !fired_) {
    mu_.AwaitWithTimeout(absl::Condition(&done_), absl::Seconds(1));
    if (!done_ && absl::Now() - last_ > limit_) {
      fired_ = true;
      ctx_->TryCancel();
    }
  }
}

}  // namespace bidopen::client
