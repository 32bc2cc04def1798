#include "server/watch/event_hub.h"

#include <cstdint>
#include <iostream>
#include <limits>

#include "absl/strings/str_cat.h"
#include "core/opening/event_lot.h"
#include "core/status_macros.h"
#include "server/store/entries.h"

namespace bidopen::watch {
namespace {

constexpr int kPage = 1000;
constexpr uint64_t kEnd = std::numeric_limits<int64_t>::max();

absl::StatusOr<std::shared_ptr<const HubEntry>> Parse(v1::LogEntry entry) {
  v1::Event event;
  if (!event.ParseFromString(entry.event()))
    return absl::DataLossError(absl::StrCat("log #", entry.seq(), " does not parse"));
  auto out = std::make_shared<HubEntry>();
  out->tender_id = event.tender_id();
  out->lot = EventLot(event);
  out->entry = std::move(entry);
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<EventHub>> EventHub::Start(std::unique_ptr<store::Conn> conn,
                                                          SignNow sign_now,
                                                          absl::Duration heartbeat) {
  BO_RETURN_IF_ERROR(conn->Exec("LISTEN bidopen_events"));
  BO_ASSIGN_OR_RETURN(const uint64_t size, store::LogSize(*conn));
  std::unique_ptr<EventHub> hub(
      new EventHub(std::move(conn), std::move(sign_now), heartbeat, size));
  hub->thread_ = std::thread([h = hub.get()] { h->Loop(); });
  return hub;
}

EventHub::~EventHub() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

uint64_t EventHub::Subscribe(const std::string& tender_id, int lot, Subscriber* s) {
  absl::MutexLock lock(&mu_);
  watchers_.emplace(tender_id, Watch{lot, s});
  return next_seq_;
}

void EventHub::Unsubscribe(Subscriber* s) {
  absl::MutexLock lock(&mu_);
  for (auto it = watchers_.begin(); it != watchers_.end();)
    it = it->second.s == s ? watchers_.erase(it) : std::next(it);
}

uint64_t EventHub::next_seq() {
  absl::MutexLock lock(&mu_);
  return next_seq_;
}

// Waits for a notification or the next heartbeat; reads whatever is new
// either way (a notification lost to a reconnect costs at most one beat).
void EventHub::Loop() {
  absl::Time beat = absl::Now();
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (stop_) return;
    }
    const absl::Duration wait = std::min(beat - absl::Now(), absl::Milliseconds(200));
    absl::StatusOr<bool> woke = conn_->AwaitNotification(wait);
    if (!woke.ok()) {
      std::cerr << "watch: " << woke.status() << "; reconnecting\n";
      conn_->Reset();
      (void)conn_->Exec("LISTEN bidopen_events");
      absl::SleepFor(absl::Milliseconds(200));
    }
    if (absl::Status st = ReadNew(); !st.ok()) std::cerr << "watch: " << st << "\n";
    if (absl::Now() >= beat) {
      Beat();
      beat = absl::Now() + heartbeat_;
    }
  }
}

absl::Status EventHub::ReadNew() {
  for (;;) {
    const uint64_t from = next_seq();
    BO_ASSIGN_OR_RETURN(std::vector<v1::LogEntry> page,
                        store::ReadEntries(*conn_, from, kEnd, kPage));
    if (page.empty()) return absl::OkStatus();
    std::vector<std::shared_ptr<const HubEntry>> parsed;
    for (v1::LogEntry& e : page) {
      BO_ASSIGN_OR_RETURN(auto p, Parse(std::move(e)));
      parsed.push_back(std::move(p));
    }
    absl::MutexLock lock(&mu_);
    for (const auto& e : parsed) {
      if (e->entry.seq() != next_seq_) return absl::OkStatus();  // read again
      Dispatch(e);
      ++next_seq_;
    }
    if (page.size() < static_cast<size_t>(kPage)) return absl::OkStatus();
  }
}

void EventHub::Dispatch(const std::shared_ptr<const HubEntry>& e) {
  auto [begin, end] = watchers_.equal_range(e->tender_id);
  for (auto it = begin; it != end; ++it)
    if (e->lot == 0 || e->lot == it->second.lot) it->second.s->OnEntry(e);
}

void EventHub::Beat() {
  absl::StatusOr<v1::SignedTreeHead> head = sign_now_();
  if (!head.ok()) return;
  auto shared = std::make_shared<const v1::SignedTreeHead>(*std::move(head));
  absl::MutexLock lock(&mu_);
  for (auto& [tender, w] : watchers_) w.s->OnHeartbeat(shared);
}

}  // namespace bidopen::watch
