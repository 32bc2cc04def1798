#include "client/watch_stream.h"

#include <atomic>
#include <csignal>
#include <iostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bidopen/v1/opening.grpc.pb.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"
#include "platform/files.h"

namespace bidopen::client {
namespace {

constexpr absl::Duration kFirstBackoff = absl::Seconds(1);
constexpr absl::Duration kMaxBackoff = absl::Seconds(5);
constexpr absl::Duration kTick = absl::Milliseconds(250);

std::atomic<bool> interrupted{false};

extern "C" void OnInterrupt(int) { interrupted.store(true); }

// Codes after which the call is made again: the server or the path to it
// went away, or the server ended a slow watcher.
bool Retryable(grpc::StatusCode c) {
  switch (c) {
    case grpc::StatusCode::OK:  // the server ended the stream
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::UNKNOWN:
      return true;
    default:
      return false;
  }
}

class Loop {
 public:
  Loop(const Globals& g, const LotName& lot, std::string ca, WatchOutput& out)
      : g_(g), ca_(std::move(ca)), out_(out) {
    state_.tender_id = lot.tender_id;
    state_.lot = lot.lot;
  }

  absl::Status Run() {
    std::thread ticker([this] { Ticker(); });
    absl::Status st = Calls();
    {
      absl::MutexLock lock(&mu_);
      stop_ = true;
      out_.End(state_, absl::Now());
    }
    ticker.join();
    return st;
  }

 private:
  // Calls Watch until the lot is done, Ctrl-C, or a refusal.
  absl::Status Calls() {
    absl::Duration backoff = kFirstBackoff;
    for (;;) {
      bool progressed = false;
      grpc::Status st = OneCall(&progressed);
      absl::MutexLock lock(&mu_);
      if (!fatal_.ok()) return fatal_;
      if (done_ || interrupted.load()) return absl::OkStatus();
      if (!Retryable(st.error_code()) || !session_.ok())
        return session_.ok() ? session_->Check(st) : session_.status();
      if (progressed) backoff = kFirstBackoff;
      state_.note = absl::StrCat(
          "连接中断 server unreachable (",
          absl::StatusCodeToString(static_cast<absl::StatusCode>(st.error_code())),
          "), reconnecting in ", DurationText(backoff), " from log #", state_.next_seq);
      out_.Tick(state_, absl::Now());
      mu_.AwaitWithTimeout(absl::Condition(
                               +[](Loop* l) { return l->stop_ || interrupted.load(); }, this),
                           backoff);
      if (interrupted.load()) return absl::OkStatus();
      backoff = std::min(backoff * 2, kMaxBackoff);
    }
  }

  // One Watch call from state_.next_seq, until it ends.
  grpc::Status OneCall(bool* progressed) {
    session_ = Session::Open(g_);
    if (!session_.ok()) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "");
    auto stub = v1::OpeningService::NewStub(session_->channel);
    grpc::ClientContext ctx;
    v1::WatchRequest req;
    {
      absl::MutexLock lock(&mu_);
      req.mutable_lot()->set_tender_id(state_.tender_id);
      req.mutable_lot()->set_lot(state_.lot);
      req.set_from_seq(state_.next_seq);
      ctx_ = &ctx;
      last_update_ = absl::Now();
    }
    auto reader = stub->Watch(&ctx, req);
    v1::WatchUpdate u;
    while (reader->Read(&u)) {
      absl::MutexLock lock(&mu_);
      last_update_ = absl::Now();
      state_.note.clear();
      if (!Take(u)) break;
      *progressed = true;
    }
    {
      absl::MutexLock lock(&mu_);
      ctx_ = nullptr;
      if (done_ || !fatal_.ok()) ctx.TryCancel();
    }
    return reader->Finish();
  }

  // Folds and shows one update; false when the watch is over (or failed).
  bool Take(const v1::WatchUpdate& u) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (u.has_heartbeat()) {
      fatal_ = ApplyHeartbeat(state_, u.heartbeat(), ca_, absl::Now());
      if (fatal_.ok()) out_.Beat(state_, u.heartbeat());
      return fatal_.ok();
    }
    v1::Event e;
    absl::StatusOr<bool> applied = ApplyEntry(state_, u.entry(), &e);
    if (!applied.ok()) {
      fatal_ = applied.status();
      return false;
    }
    if (*applied) out_.Event(state_, e);
    done_ = WatchDone(state_);
    return !done_;
  }

  // Redraws about once a second, cancels the call on Ctrl-C or when the
  // stream went silent.
  void Ticker() {
    absl::Time last_draw = absl::Now();
    for (;;) {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(&stop_), kTick);
      if (stop_) return;
      const absl::Time now = absl::Now();
      if (ctx_ != nullptr && (interrupted.load() || now - last_update_ > kSilence))
        ctx_->TryCancel();
      if (interrupted.load()) continue;
      if (now - last_draw >= absl::Seconds(1)) {
        out_.Tick(state_, now);
        last_draw = now;
      }
    }
  }

  const Globals& g_;
  const std::string ca_;
  WatchOutput& out_;
  absl::StatusOr<Session> session_ = absl::UnavailableError("not connected");
  absl::Mutex mu_;
  WatchState state_ ABSL_GUARDED_BY(mu_);
  grpc::ClientContext* ctx_ ABSL_GUARDED_BY(mu_) = nullptr;
  absl::Time last_update_ ABSL_GUARDED_BY(mu_);
  absl::Status fatal_ ABSL_GUARDED_BY(mu_);
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace

absl::Status RunWatch(const Globals& g, const LotName& lot, WatchOutput& out) {
  BO_ASSIGN_OR_RETURN(Profile profile, ResolveGlobals(g));
  BO_ASSIGN_OR_RETURN(std::string ca, ReadFileBytes(profile.ca, "--ca"));
  struct sigaction sa = {};
  sa.sa_handler = OnInterrupt;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  return Loop(g, lot, std::move(ca), out).Run();
}

}  // namespace bidopen::client
