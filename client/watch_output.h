// Where `bidctl opening watch` shows what it receives: the view redrawn in
// place on a terminal (ANSI cursor home + clear to end), a line per change
// when stdout is not a terminal (the final view at the end), or a JSON line
// per event (--json; heartbeats only with --heartbeats).
#ifndef BIDOPEN_CLIENT_WATCH_OUTPUT_H_
#define BIDOPEN_CLIENT_WATCH_OUTPUT_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "bidopen/v1/audit.pb.h"
#include "bidopen/v1/events.pb.h"
#include "client/watch_state.h"

namespace bidopen::client {

class WatchOutput {
 public:
  virtual ~WatchOutput() = default;
  // An event, folded into `s` already.
  virtual void Event(const WatchState& s, const v1::Event& e) = 0;
  // A verified heartbeat, taken into `s` already.
  virtual void Beat(const WatchState& s, const v1::SignedTreeHead& head) = 0;
  // About once a second, and when the connection's note changed.
  virtual void Tick(const WatchState& s, absl::Time local_now) = 0;
  // The watch ended (the lot closed, failed at its start or was cancelled;
  // or Ctrl-C).
  virtual void End(const WatchState& s, absl::Time local_now) = 0;
};

struct WatchOutputOptions {
  bool json = false;
  bool heartbeats = false;  // --json: a line per heartbeat too
  uint64_t from = 0;        // events below it are folded, not printed
  bool terminal = false;    // stdout is a terminal
};

std::unique_ptr<WatchOutput> MakeWatchOutput(const WatchOutputOptions& o);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_WATCH_OUTPUT_H_
