// One event of `bidctl opening watch` as a line: for people when stdout is
// not a terminal (a line per change; never a value before the
// announcement), and as JSON for --json (seq, time, kind, actor and the
// event's body as protobuf JSON with the proto field names).
#ifndef BIDOPEN_CLIENT_WATCH_EVENT_TEXT_H_
#define BIDOPEN_CLIENT_WATCH_EVENT_TEXT_H_

#include <string>

#include "absl/time/time.h"
#include "bidopen/v1/events.pb.h"

namespace bidopen::client {

// "tender_created", "bid_revealed", ... (the body's field name).
std::string EventKind(const v1::Event& e);

// "2027-03-01T09:30:01+08:00  log #12  揭示 bid #5 revealed: Builder 1 (…)".
std::string ChangeLine(const v1::Event& e, absl::TimeZone zone);

// {"seq": 12, "time": "...", "kind": "bid_revealed", "actor": {...},
//  "event": {...}} on one line.
std::string EventJsonLine(const v1::Event& e);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_WATCH_EVENT_TEXT_H_
