// The stream loop of `bidctl opening watch`: OpeningService.Watch from seq 0
// (the fold needs the lot's whole history), each entry folded into the
// WatchState and shown, each heartbeat verified against the trusted CA. A
// dropped stream (UNAVAILABLE, a restarted server, a stream silent for
// kSilence) is called again on a fresh connection from one past the last seq
// received, after 1, 2, 4, 5, 5 ... s: nothing is shown twice, nothing
// missed. Ends when the lot's opening closed, the lot failed at its start or
// was cancelled, or on Ctrl-C (SIGINT); a refusal (PERMISSION_DENIED,
// NOT_FOUND, ...) or a log that does not fold ends it with that status.
#ifndef BIDOPEN_CLIENT_WATCH_STREAM_H_
#define BIDOPEN_CLIENT_WATCH_STREAM_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "client/command.h"
#include "client/watch_output.h"
#include "core/opening/lot_ref.h"

namespace bidopen::client {

// No update (not even a heartbeat) for this long: the stream is treated as
// dropped.
inline constexpr absl::Duration kSilence = absl::Seconds(10);

absl::Status RunWatch(const Globals& g, const LotName& lot, WatchOutput& out);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_WATCH_STREAM_H_
