#include "server/rpc/upload_streams.h"

#include <algorithm>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "core/opening/time_text.h"

namespace bidopen::rpc {
namespace {

// How often the watchdog looks: a quarter of the idle limit, within [20 ms, 1 s].
absl::Duration Period(absl::Duration idle) {
  return std::clamp(idle / 4, absl::Milliseconds(20), absl::Seconds(1));
}

}  // namespace

UploadStreams::UploadStreams(int max_per_identity, absl::Duration idle)
    : max_per_identity_(max_per_identity),
      idle_(absl::ToChronoNanoseconds(idle)),
      watchdog_([this] { Watch(); }) {}

UploadStreams::~UploadStreams() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  watchdog_.join();
}

absl::StatusOr<std::unique_ptr<UploadStreams::Ticket>> UploadStreams::Enter(
    grpc::ServerContext* ctx, const std::string& identity) {
  absl::MutexLock lock(&mu_);
  int& count = per_identity_[identity];
  if (count >= max_per_identity_)
    return absl::ResourceExhaustedError(absl::StrCat(
        "your certificate already has ", count,
        " upload streams in progress, the limit of this "
        "server (--max-uploads-per-identity ",
        max_per_identity_, "); finish or cancel one, or wait for it to be cancelled after ",
        DurationText(absl::FromChrono(idle_)), " without data (--upload-idle-timeout)"));
  ++count;
  const uint64_t id = next_id_++;
  streams_.emplace(id, Stream{ctx, identity, std::nullopt});
  return std::make_unique<Ticket>(*this, id);
}

void UploadStreams::Leave(uint64_t id) {
  absl::MutexLock lock(&mu_);
  auto it = streams_.find(id);
  if (it == streams_.end()) return;
  auto count = per_identity_.find(it->second.identity);
  if (--count->second == 0) per_identity_.erase(count);
  streams_.erase(it);
}

void UploadStreams::SetWaiting(uint64_t id, bool waiting) {
  absl::MutexLock lock(&mu_);
  auto it = streams_.find(id);
  if (it == streams_.end()) return;
  if (!waiting)
    it->second.waiting_since.reset();
  else if (!it->second.waiting_since)
    it->second.waiting_since = std::chrono::steady_clock::now();
}

// TryCancel under the lock: the ticket, and so the context, cannot go away meanwhile.
void UploadStreams::CancelIdle(Instant now) {
  for (auto& [id, s] : streams_) {
    if (!s.waiting_since || now - *s.waiting_since < idle_) continue;
    std::clog << "bidopend: cancelled an Upload stream of " << s.identity
              << " that sent nothing for " << DurationText(absl::FromChrono(idle_))
              << " (--upload-idle-timeout)\n";
    s.ctx->TryCancel();
    s.waiting_since.reset();  // once
  }
}

void UploadStreams::Watch() {
  const absl::Duration period = Period(absl::FromChrono(idle_));
  absl::MutexLock lock(&mu_);
  while (!mu_.AwaitWithTimeout(absl::Condition(&stopping_), period))
    CancelIdle(std::chrono::steady_clock::now());
}

}  // namespace bidopen::rpc
