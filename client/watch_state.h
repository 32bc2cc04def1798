// What `bidctl opening watch` knows of a lot: the fold of the events Watch
// sent (core's one fold, applied event by event: Watch from seq 0 sends every
// event of the tender as a whole and of this lot, which is all the fold of
// this lot reads), the next seq to ask for after a reconnect, and the
// server's signed time from the last heartbeat, verified against the trusted
// CA. No I/O: the stream loop (client/watch_cmd.cc) feeds it.
#ifndef BIDOPEN_CLIENT_WATCH_STATE_H_
#define BIDOPEN_CLIENT_WATCH_STATE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bidopen/v1/audit.pb.h"
#include "bidopen/v1/events.pb.h"
#include "bidopen/v1/tender.pb.h"
#include "core/opening/state.h"

namespace bidopen::client {

struct WatchState {
  std::string tender_id;
  int lot = 1;
  TenderState tender;        // the fold of the events received
  uint64_t next_seq = 0;     // one past the last entry received
  uint64_t events = 0;       // entries applied
  absl::Time signed_time;    // the last verified heartbeat's time
  absl::Time beat_received;  // when it arrived, by this machine's clock
  bool have_beat = false;
  std::string note;  // the connection's state ("reconnecting ..."), if any
};

// Parses and folds one entry. An entry below next_seq (sent twice) is
// skipped (returns false); DATA_LOSS if the event does not parse, is of
// another tender or lot, or cannot follow the state (the fold's refusal).
absl::StatusOr<bool> ApplyEntry(WatchState& s, const v1::LogEntry& entry, v1::Event* event);

// Verifies a heartbeat against `ca_pem` (DATA_LOSS naming why if it does
// not, or if its time goes back) and takes its time, received at `local`.
absl::Status ApplyHeartbeat(WatchState& s, const v1::SignedTreeHead& head,
                            const std::string& ca_pem, absl::Time local);

// The server's signed time now: the last heartbeat's, ticking on by this
// machine's clock since it arrived (`local_now` itself before the first).
absl::Time SignedNow(const WatchState& s, absl::Time local_now);

// The lot as the fold shows it (nullptr before the tender's creation).
const fold::Lot* FoldedLot(const WatchState& s);
// The lot with its bids as the API shows it (core's TenderView).
v1::Lot LotOfView(const WatchState& s);

// The watch is over: the lot's opening closed, the lot failed at its start
// (no opening, nothing to announce) or was cancelled.
bool WatchDone(const WatchState& s);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_WATCH_STATE_H_
