// The live hall's fan-out (design.md §7): one thread per bidopend LISTENs on
// PostgreSQL for new events — appended by this replica or any other on the
// same database — reads each new entry once, in seq order, and hands it to
// the watchers of its lot, with a heartbeat (the server's signed time) about
// once a second. No thread per watcher: a watcher is a Subscriber whose
// callbacks only queue.
#ifndef BIDOPEN_SERVER_WATCH_EVENT_HUB_H_
#define BIDOPEN_SERVER_WATCH_EVENT_HUB_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bidopen/v1/audit.pb.h"
#include "server/store/pg.h"

namespace bidopen::watch {

// One new entry, parsed once for every watcher.
struct HubEntry {
  v1::LogEntry entry;
  std::string tender_id;
  int lot = -1;  // EventLot
};

class Subscriber {
 public:
  virtual ~Subscriber() = default;
  // Called from the hub's thread, in seq order, without gaps among the
  // entries of the subscriber's lot; must not block.
  virtual void OnEntry(const std::shared_ptr<const HubEntry>& entry) = 0;
  virtual void OnHeartbeat(const std::shared_ptr<const v1::SignedTreeHead>& head) = 0;
};

class EventHub {
 public:
  using SignNow = std::function<absl::StatusOr<v1::SignedTreeHead>()>;
  // `conn`: a connection of its own (it LISTENs). `sign_now`: the heartbeat.
  static absl::StatusOr<std::unique_ptr<EventHub>> Start(std::unique_ptr<store::Conn> conn,
                                                         SignNow sign_now,
                                                         absl::Duration heartbeat);
  ~EventHub();  // stops the thread

  // From the returned seq on, `s` gets every entry of `lot` of `tender_id`
  // (and of the tender itself) until Unsubscribe; those before it are the
  // caller's to read from the store.
  uint64_t Subscribe(const std::string& tender_id, int lot, Subscriber* s);
  // After it returns, `s` is called no more.
  void Unsubscribe(Subscriber* s);
  // The seq of the next entry the hub will read.
  uint64_t next_seq();

 private:
  EventHub(std::unique_ptr<store::Conn> conn, SignNow sign_now, absl::Duration heartbeat,
           uint64_t next)
      : conn_(std::move(conn)),
        sign_now_(std::move(sign_now)),
        heartbeat_(heartbeat),
        next_seq_(next) {}
  void Loop();
  absl::Status ReadNew();
  void Dispatch(const std::shared_ptr<const HubEntry>& e) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Beat();

  std::unique_ptr<store::Conn> conn_;  // the hub thread's only
  const SignNow sign_now_;
  const absl::Duration heartbeat_;
  absl::Mutex mu_;
  uint64_t next_seq_ ABSL_GUARDED_BY(mu_);
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  struct Watch {
    int lot;
    Subscriber* s;
  };
  std::multimap<std::string, Watch> watchers_ ABSL_GUARDED_BY(mu_);  // by tender
  std::thread thread_;
};

}  // namespace bidopen::watch

#endif  // BIDOPEN_SERVER_WATCH_EVENT_HUB_H_
