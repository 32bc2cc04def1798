#include "client/watch_output.h"

#include <iostream>
#include <nlohmann/json.hpp>

#include "client/watch_event_text.h"
#include "client/watch_view.h"
#include "core/log/checkpoint.h"
#include "core/opening/time_text.h"

namespace bidopen::client {
namespace {

constexpr char kHome[] = "\x1b[H";
constexpr char kClearLine[] = "\x1b[K";
constexpr char kClearBelow[] = "\x1b[J";

void PrintView(const WatchState& s, absl::Time local_now, bool in_place) {
  if (in_place) std::cout << kHome;
  for (const std::string& line : WatchLines(s, SignedNow(s, local_now)))
    std::cout << line << (in_place ? kClearLine : "") << "\n";
  if (in_place) std::cout << kClearBelow;
  std::cout << std::flush;
}

// The view redrawn in place.
class TerminalOutput : public WatchOutput {
 public:
  void Event(const WatchState& s, const v1::Event&) override { PrintView(s, absl::Now(), true); }
  void Beat(const WatchState& s, const v1::SignedTreeHead&) override {
    PrintView(s, absl::Now(), true);
  }
  void Tick(const WatchState& s, absl::Time now) override { PrintView(s, now, true); }
  void End(const WatchState& s, absl::Time now) override { PrintView(s, now, true); }
};

// A line per change; the view once at the end.
class LineOutput : public WatchOutput {
 public:
  explicit LineOutput(uint64_t from) : from_(from) {}
  void Event(const WatchState& s, const v1::Event& e) override {
    if (e.seq() < from_) return;
    std::cout << ChangeLine(e, ZoneOrUtc(s.tender.tender.time_zone())) << std::endl;
  }
  void Beat(const WatchState&, const v1::SignedTreeHead&) override {}
  void Tick(const WatchState& s, absl::Time) override {
    if (s.note == note_) return;
    note_ = s.note;
    if (!note_.empty()) std::cout << note_ << std::endl;
  }
  void End(const WatchState& s, absl::Time now) override {
    std::cout << "\n";
    PrintView(s, now, false);
  }

 private:
  const uint64_t from_;
  std::string note_;
};

class JsonOutput : public WatchOutput {
 public:
  JsonOutput(uint64_t from, bool heartbeats) : from_(from), heartbeats_(heartbeats) {}
  void Event(const WatchState&, const v1::Event& e) override {
    if (e.seq() >= from_) std::cout << EventJsonLine(e) << std::endl;
  }
  void Beat(const WatchState& s, const v1::SignedTreeHead& head) override {
    if (!heartbeats_) return;
    nlohmann::json j;
    j["kind"] = "heartbeat";
    j["time"] = TimeText(s.signed_time, absl::UTCTimeZone());
    j["size"] = head.size();
    std::cout << j.dump() << std::endl;
  }
  // The connection's state on stderr: stdout holds only JSON.
  void Tick(const WatchState& s, absl::Time) override {
    if (s.note == note_) return;
    note_ = s.note;
    if (!note_.empty()) std::cerr << note_ << std::endl;
  }
  void End(const WatchState&, absl::Time) override {}

 private:
  const uint64_t from_;
  const bool heartbeats_;
  std::string note_;
};

}  // namespace

std::unique_ptr<WatchOutput> MakeWatchOutput(const WatchOutputOptions& o) {
  if (o.json) return std::make_unique<JsonOutput>(o.from, o.heartbeats);
  if (o.terminal) return std::make_unique<TerminalOutput>();
  return std::make_unique<LineOutput>(o.from);
}

}  // namespace bidopen::client
