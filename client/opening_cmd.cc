// bidctl opening start|status|end T/L (docs/protocol.md "Opening: the
// commands"); `opening decrypt` is in client/bidder_release_cmd.cc, `opening
// watch` in client/watch_cmd.cc.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/command.h"
#include "client/opening_text.h"
#include "client/opening_view.h"
#include "client/signed_call.h"
#include "core/status_macros.h"
#include "platform/files.h"

namespace bidopen::client {
namespace {

using StubCall = grpc::Status (v1::OpeningService::Stub::*)(grpc::ClientContext*, const v1::LotRef&,
                                                            v1::OpeningStatus*);

// One call taking a LotRef and answering an OpeningStatus, checked and shown.
// `signed_method`: the RPC's name when it is an action the log keeps signed.
absl::Status Call(const Globals& g, const LotFlags& f, StubCall method, const char* signed_method) {
  BO_ASSIGN_OR_RETURN(LotName lot, ParseLotName(f.lot, f.lot_flag));
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  BO_ASSIGN_OR_RETURN(std::string ca, ReadFileBytes(s.profile.ca, "--ca"));
  auto stub = v1::OpeningService::NewStub(s.channel);
  v1::OpeningStatus status;
  std::unique_ptr<grpc::ClientContext> ctx = CallContext();
  if (signed_method != nullptr) {
    BO_ASSIGN_OR_RETURN(ctx, SignedContext(s.profile, signed_method, ToRef(lot)));
  }
  const absl::Time sent = absl::Now();
  BO_RETURN_IF_ERROR(s.Check((stub.get()->*method)(ctx.get(), ToRef(lot), &status)));
  BO_ASSIGN_OR_RETURN(OpeningView v, CheckOpening(std::move(status), ca, sent, absl::Now(),
                                                  method == &v1::OpeningService::Stub::GetOpening));
  if (g.json) return PrintJson(v.status), absl::OkStatus();
  PrintOpening(std::cout, v);
  return absl::OkStatus();
}

}  // namespace

void AddLotArgument(CLI::App& cmd, LotFlags& f) {
  cmd.add_option("lot", f.lot, "The lot: TENDER/LOT, e.g. T-0123456789/1 (or TENDER with --lot)")
      ->required();
  cmd.add_option("--lot", f.lot_flag, "Lot number, if not given as TENDER/LOT (default 1)");
}

void AddOpeningCommands(CLI::App& app, Globals& g, Action& action) {
  auto* cmd = app.add_subcommand("opening", "Start, follow, decrypt and end a lot's opening");
  cmd->require_subcommand(1);
  struct Entry {
    const char* name;
    const char* help;
    StubCall method;
    const char* signed_method;  // an action the log keeps signed
  };
  for (const Entry& e : {
           Entry{"start", "Agency: start the opening at or after the lot's opening time",
                 &v1::OpeningService::Stub::StartOpening,
                 "/bidopen.v1.OpeningService/StartOpening"},
           Entry{"status", "Where the opening stands: phase, countdown, bids, verdicts",
                 &v1::OpeningService::Stub::GetOpening, nullptr},
           Entry{"end",
                 "Agency: end decryption before the window ends, once every bid opened; "
                 "shows the verdicts",
                 &v1::OpeningService::Stub::EndDecryption, nullptr},
       }) {
    auto f = std::make_shared<LotFlags>();
    auto* sub = cmd->add_subcommand(e.name, e.help);
    AddLotArgument(*sub, *f);
    const StubCall method = e.method;
    const char* signed_method = e.signed_method;
    sub->callback([&g, &action, f, method, signed_method] {
      action = [&g, f, method, signed_method] { return Call(g, *f, method, signed_method); };
    });
  }
  AddOpeningDecryptCommand(*cmd, g, action);
  AddOpeningResupplyCommand(*cmd, g, action);
  AddHallCommands(*cmd, g, action);
  AddOpeningWatchCommand(*cmd, g, action);
}

}  // namespace bidopen::client
