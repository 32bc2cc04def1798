// A Watch call read update by update (tests/e2e/watch_test.cc,
// replica_test.cc).
#ifndef BIDOPEN_TESTS_E2E_WATCHER_H_
#define BIDOPEN_TESTS_E2E_WATCHER_H_

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "bidopen/v1/events.pb.h"
#include "bidopen/v1/opening.grpc.pb.h"

namespace bidopen::testing {

// One Watch call read update by update.
class Watcher {
 public:
  Watcher(v1::OpeningService::Stub& stub, const v1::LotRef& lot, uint64_t from,
          absl::Duration limit = absl::Seconds(30)) {
    ctx_.set_deadline(absl::ToChronoTime(absl::Now() + limit));
    v1::WatchRequest req;
    *req.mutable_lot() = lot;
    req.set_from_seq(from);
    reader_ = stub.Watch(&ctx_, req);
  }
  ~Watcher() {
    if (!finished_) Finish();
  }
  // The next event (heartbeats counted, not returned); nullopt when the
  // stream ended (status() says why).
  std::optional<std::pair<uint64_t, v1::Event>> Next() {
    v1::WatchUpdate u;
    while (reader_->Read(&u)) {
      if (u.has_heartbeat()) {
        ++heartbeats_;
        last_beat_ = u.heartbeat();
        continue;
      }
      received_ = absl::Now();
      v1::Event e;
      EXPECT_TRUE(e.ParseFromString(u.entry().event()));
      return std::make_pair(u.entry().seq(), e);
    }
    return std::nullopt;
  }
  // Events until one of `kind` (included).
  std::vector<std::pair<uint64_t, v1::Event>> Until(v1::Event::BodyCase kind) {
    std::vector<std::pair<uint64_t, v1::Event>> out;
    while (auto e = Next()) {
      out.push_back(*e);
      if (e->second.body_case() == kind) break;
    }
    return out;
  }
  grpc::Status Finish() {
    ctx_.TryCancel();
    v1::WatchUpdate u;
    while (reader_->Read(&u)) {
    }
    finished_ = true;
    return reader_->Finish();
  }
  // The status of a call the server ended at once.
  grpc::Status Refusal() {
    v1::WatchUpdate u;
    EXPECT_FALSE(reader_->Read(&u)) << "the server sent an update";
    finished_ = true;
    return reader_->Finish();
  }
  int heartbeats() const { return heartbeats_; }
  // When the last event returned by Next() arrived.
  absl::Time received() const { return received_; }
  const v1::SignedTreeHead& last_beat() const { return last_beat_; }

 private:
  grpc::ClientContext ctx_;
  std::unique_ptr<grpc::ClientReader<v1::WatchUpdate>> reader_;
  int heartbeats_ = 0;
  absl::Time received_;
  v1::SignedTreeHead last_beat_;
  bool finished_ = false;
};

inline std::vector<uint64_t> SeqsOf(const std::vector<std::pair<uint64_t, v1::Event>>& events) {
  std::vector<uint64_t> out;
  for (const auto& [seq, e] : events) out.push_back(seq);
  return out;
}

}  // namespace bidopen::testing

#endif  // BIDOPEN_TESTS_E2E_WATCHER_H_
