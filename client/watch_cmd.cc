// bidctl opening watch T/L [--from SEQ] [--heartbeats] (docs/protocol.md
// "Watch"): the live view of a lot's opening; the loop is
// client/watch_stream.h, the view client/watch_view.h.
#include <unistd.h>

#include "client/command.h"
#include "client/watch_output.h"
#include "client/watch_stream.h"
#include "core/status_macros.h"

namespace bidopen::client {
namespace {

struct WatchFlags {
  LotFlags lot;
  uint64_t from = 0;
  bool heartbeats = false;
};

absl::Status Watch(const Globals& g, const WatchFlags& f) {
  BO_ASSIGN_OR_RETURN(LotName lot, ParseLotName(f.lot.lot, f.lot.lot_flag));
  std::unique_ptr<WatchOutput> out = MakeWatchOutput({.json = g.json,
                                                      .heartbeats = f.heartbeats,
                                                      .from = f.from,
                                                      .terminal = ::isatty(STDOUT_FILENO) == 1});
  return RunWatch(g, lot, *out);
}

}  // namespace

void AddOpeningWatchCommand(CLI::App& opening, Globals& g, Action& action) {
  auto f = std::make_shared<WatchFlags>();
  auto* w = opening.add_subcommand(
      "watch",
      "Follow a lot's opening live: phase, countdown, who signed in, which bids opened, the "
      "announcement (唱标), confirmations, objections and the close. On a terminal the view "
      "is redrawn in place; otherwise one line per event. Reconnects by itself if the server "
      "goes away; ends when the opening closes (or the lot failed at its start or was "
      "cancelled), or with Ctrl-C. For the agency, supervisors, auditors, the lot's custodians "
      "and the bidders that bid in it");
  AddLotArgument(*w, f->lot);
  w->add_option("--from", f->from,
                "Print events from this log index on (the view still folds the lot's whole "
                "history); default 0");
  w->add_flag("--heartbeats", f->heartbeats,
              "With --json: also a line per heartbeat (the server's signed time, about once a "
              "second)");
  w->footer(
      "With --json: one JSON object per line per event: seq, time (UTC), kind (e.g. "
      "bid_revealed), actor and the event's body as protobuf JSON.\nExit status 0 when the "
      "opening closed, the lot failed at its start or was cancelled, or on Ctrl-C.");
  w->callback([&g, &action, f] { action = [&g, f] { return Watch(g, *f); }; });
}

}  // namespace bidopen::client
