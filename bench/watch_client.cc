#include "bench/watch_client.h"

#include <grpcpp/security/credentials.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "core/status_macros.h"
#include "platform/files.h"

namespace bidopen::bench {

class Watcher final : public grpc::ClientReadReactor<v1::WatchUpdate> {
 public:
  Watcher(WatcherSet& set, int events) : set_(set), received_(events, absl::InfinitePast()) {}

  void Start(v1::OpeningService::Stub& stub, const v1::WatchRequest& req) {
    req_ = req;
    stub.async()->Watch(&ctx_, &req_, this);
    StartRead(&update_);
    StartCall();
  }
  void Cancel() { ctx_.TryCancel(); }
  void Wait() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&done_));
  }
  bool ended_early() {
    absl::MutexLock lock(&mu_);
    return done_ && !status_.ok() && status_.error_code() != grpc::StatusCode::CANCELLED;
  }
  // Receipt times, InfinitePast() where none.
  const std::vector<absl::Time>& received() const { return received_; }

  void OnReadDone(bool ok) override {
    if (!ok) return;
    const absl::Time now = absl::Now();
    if (!ready_) {
      ready_ = true;
      set_.Ready();
    }
    if (update_.has_entry()) Take(update_.entry(), now);
    StartRead(&update_);
  }
  void OnDone(const grpc::Status& st) override {
    absl::MutexLock lock(&mu_);
    status_ = st;
    done_ = true;
  }

 private:
  void Take(const v1::LogEntry& entry, absl::Time now) {
    v1::Event e;
    if (!e.ParseFromString(entry.event()) || !e.has_lot_amended()) return;
    int k = -1;
    const std::string& reason = e.lot_amended().reason();
    if (!absl::StartsWith(reason, "bench ") || !absl::SimpleAtoi(reason.substr(6), &k)) return;
    if (k < 0 || k >= static_cast<int>(received_.size())) return;
    received_[k] = now;
    set_.Received();
  }

  WatcherSet& set_;
  grpc::ClientContext ctx_;
  v1::WatchRequest req_;
  v1::WatchUpdate update_;
  std::vector<absl::Time> received_;  // written by this watcher's reads only
  bool ready_ = false;
  absl::Mutex mu_;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
};

WatcherSet::WatcherSet(int events) : events_(events) {}

WatcherSet::~WatcherSet() {
  for (auto& w : watchers_) w->Cancel();
  for (auto& w : watchers_) w->Wait();
}

absl::Status WatcherSet::Open(const std::string& server, const std::string& pki,
                              const std::string& identity, const v1::LotRef& lot, uint64_t from_seq,
                              int n, int per_channel) {
  grpc::SslCredentialsOptions tls;
  BO_ASSIGN_OR_RETURN(tls.pem_root_certs, ReadFileBytes(pki + "/ca.crt", "CA certificate"));
  BO_ASSIGN_OR_RETURN(tls.pem_cert_chain,
                      ReadFileBytes(absl::StrCat(pki, "/", identity, ".crt"), "certificate"));
  BO_ASSIGN_OR_RETURN(tls.pem_private_key,
                      ReadFileBytes(absl::StrCat(pki, "/", identity, ".key"), "key"));
  auto creds = grpc::SslCredentials(tls);
  v1::WatchRequest req;
  *req.mutable_lot() = lot;
  req.set_from_seq(from_seq);
  for (int i = 0; i < n; ++i) {
    if (i % per_channel == 0) {
      grpc::ChannelArguments args;
      args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // a connection of its own
      channels_.push_back(grpc::CreateCustomChannel(server, creds, args));
      stubs_.push_back(v1::OpeningService::NewStub(channels_.back()));
    }
    watchers_.push_back(std::make_unique<Watcher>(*this, events_));
    watchers_.back()->Start(*stubs_.back(), req);
  }
  return absl::OkStatus();
}

void WatcherSet::Received() {
  absl::MutexLock lock(&mu_);
  ++received_;
}

void WatcherSet::Ready() {
  absl::MutexLock lock(&mu_);
  ++ready_;
}

int WatcherSet::WaitReady(absl::Duration limit) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(this, &WatcherSet::AllReady), limit);
  return ready_;
}

int64_t WatcherSet::WaitAll(absl::Duration limit) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(this, &WatcherSet::AllReceived), limit);
  return received_;
}

bool WatcherSet::AllReady() const { return ready_ >= size(); }
bool WatcherSet::AllReceived() const { return received_ >= static_cast<int64_t>(size()) * events_; }

std::vector<double> WatcherSet::Latencies(const std::vector<absl::Time>& sent) const {
  std::vector<double> out;
  for (const auto& w : watchers_)
    for (size_t k = 0; k < sent.size() && k < w->received().size(); ++k)
      if (w->received()[k] != absl::InfinitePast())
        out.push_back(absl::ToDoubleMilliseconds(w->received()[k] - sent[k]));
  return out;
}

int WatcherSet::Ended() const {
  int n = 0;
  for (const auto& w : watchers_) n += w->ended_early() ? 1 : 0;
  return n;
}

}  // namespace bidopen::bench
