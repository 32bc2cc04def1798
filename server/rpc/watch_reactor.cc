#include "server/rpc/watch_reactor.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "core/opening/event_lot.h"
#include "core/status_macros.h"
#include "server/store/entries.h"

namespace bidopen::rpc {
namespace {

constexpr int kPage = 1000;

// The lot's entries of [from, to), oldest first.
absl::StatusOr<std::vector<v1::WatchUpdate>> Backlog(store::Conn& conn, const v1::LotRef& lot,
                                                     uint64_t from, uint64_t to) {
  std::vector<v1::WatchUpdate> out;
  while (from < to) {
    BO_ASSIGN_OR_RETURN(std::vector<v1::LogEntry> page,
                        store::ReadTenderEntries(conn, lot.tender_id(), from, to, kPage));
    for (v1::LogEntry& e : page) {
      v1::Event event;
      if (!event.ParseFromString(e.event()))
        return absl::DataLossError(absl::StrCat("log #", e.seq(), " does not parse"));
      if (!ShownToLotWatcher(event, lot.tender_id(), lot.lot())) continue;
      *out.emplace_back().mutable_entry() = std::move(e);
    }
    if (page.size() < static_cast<size_t>(kPage)) break;
    from = page.back().seq() + 1;
  }
  return out;
}

}  // namespace

absl::Status WatchReactor::Begin(store::Pool& pool, const v1::WatchRequest& req) {
  const uint64_t from_hub = hub_.Subscribe(req.lot().tender_id(), req.lot().lot(), this);
  subscribed_ = true;
  BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool.Acquire());
  BO_ASSIGN_OR_RETURN(const uint64_t size, store::LogSize(*conn));
  const uint64_t end = std::max(size, from_hub);
  if (req.from_seq() > end)
    return absl::OutOfRangeError(absl::StrCat("from_seq: ", req.from_seq(),
                                              " is beyond the log's end (", end,
                                              " events); watch from at most ", end));
  BO_ASSIGN_OR_RETURN(std::vector<v1::WatchUpdate> backlog,
                      Backlog(*conn, req.lot(), req.from_seq(), from_hub));
  std::lock_guard<std::mutex> lock(mu_);
  // What the hub handed over meanwhile starts at from_hub; a lagging hub may
  // still hand over entries below from_seq.
  std::erase_if(queue_, [&](const v1::WatchUpdate& u) { return u.entry().seq() < req.from_seq(); });
  queue_.insert(queue_.begin(), std::make_move_iterator(backlog.begin()),
                std::make_move_iterator(backlog.end()));
  next_seq_ = std::max(next_seq_, req.from_seq());
  ready_ = true;
  WriteNext();
  return absl::OkStatus();
}

void WatchReactor::Fail(const grpc::Status& st) {
  std::lock_guard<std::mutex> lock(mu_);
  FinishOnce(st);
}

void WatchReactor::OnEntry(const std::shared_ptr<const watch::HubEntry>& e) {
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_ || e->entry.seq() < next_seq_) return;
  next_seq_ = e->entry.seq() + 1;
  v1::WatchUpdate u;
  *u.mutable_entry() = e->entry;
  Queue(std::move(u));
  WriteNext();
}

void WatchReactor::OnHeartbeat(const std::shared_ptr<const v1::SignedTreeHead>& head) {
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return;
  beat_ = head;  // copied once, when written
  WriteNext();
}

void WatchReactor::Queue(v1::WatchUpdate u) {
  if (finished_) return;
  if (queue_.size() >= kMaxQueued) {
    const uint64_t resume = queue_.front().entry().seq();
    FinishOnce(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                            absl::StrCat("this watcher fell ", kMaxQueued,
                                         " updates behind; watch again with from_seq ", resume)));
    return;
  }
  queue_.push_back(std::move(u));
}

void WatchReactor::WriteNext() {
  if (!ready_ || in_flight_ || finished_) return;
  if (!queue_.empty()) {
    writing_ = std::move(queue_.front());
    queue_.pop_front();
  } else if (beat_) {
    *writing_.mutable_heartbeat() = *beat_;
    beat_.reset();
  } else {
    return;
  }
  in_flight_ = true;
  StartWrite(&writing_);
}

void WatchReactor::OnWriteDone(bool ok) {
  std::lock_guard<std::mutex> lock(mu_);
  in_flight_ = false;
  if (!ok) {
    FinishOnce(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the watcher went away"));
    return;
  }
  WriteNext();
}

void WatchReactor::OnCancel() {
  std::lock_guard<std::mutex> lock(mu_);
  FinishOnce(grpc::Status::CANCELLED);
}

void WatchReactor::FinishOnce(const grpc::Status& st) {
  if (finished_) return;
  finished_ = true;
  queue_.clear();
  beat_.reset();
  Finish(st);
}

void WatchReactor::OnDone() {
  if (subscribed_) hub_.Unsubscribe(this);
  delete this;
}

}  // namespace bidopen::rpc
