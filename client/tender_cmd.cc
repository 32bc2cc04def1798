// bidctl tender create|list|show|amend|cancel
#include <iostream>

#include "bidopen/v1/identity.grpc.pb.h"
#include "bidopen/v1/tender.grpc.pb.h"
#include "client/command.h"
#include "client/key_list.h"
#include "client/local_identity.h"
#include "client/signed_call.h"
#include "client/tender_cache.h"
#include "client/tender_request.h"
#include "client/tender_text.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen::client {
namespace {

absl::Status Show(const Globals& g, const v1::Tender& t) {
  g.json ? PrintJson(t) : PrintTender(std::cout, t);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::RegisteredKey>> Custodians(const Session& s) {
  return ListAllKeys(s, v1::ROLE_CUSTODIAN);
}

absl::Status Create(const Globals& g, const CreateFlags& f) {
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  std::vector<v1::RegisteredKey> registered;
  if (!f.custodians.empty()) {
    BO_ASSIGN_OR_RETURN(registered, Custodians(s));
  }
  BO_ASSIGN_OR_RETURN(v1::CreateTenderRequest req, BuildCreate(f, registered));
  v1::Tender out;
  auto stub = v1::TenderService::NewStub(s.channel);
  BO_ASSIGN_OR_RETURN(auto ctx,
                      SignedContext(s.profile, "/bidopen.v1.TenderService/CreateTender", req));
  BO_RETURN_IF_ERROR(s.Check(stub->CreateTender(ctx.get(), req, &out)));
  return Show(g, out);
}

absl::Status List(const Globals& g, bool all, const std::string& token) {
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  v1::ListTendersRequest req;
  req.set_include_cancelled(all);
  req.set_page_token(token);
  v1::ListTendersResponse out;
  auto stub = v1::TenderService::NewStub(s.channel);
  BO_RETURN_IF_ERROR(s.Check(stub->ListTenders(CallContext().get(), req, &out)));
  g.json ? PrintJson(out) : PrintTenderTable(std::cout, out);
  return absl::OkStatus();
}

absl::StatusOr<v1::Tender> Fetch(const Session& s, const std::string& id) {
  v1::GetTenderRequest req;
  req.set_tender_id(id);
  v1::Tender out;
  auto stub = v1::TenderService::NewStub(s.channel);
  BO_RETURN_IF_ERROR(s.Check(stub->GetTender(CallContext().get(), req, &out)));
  return out;
}

// Keeps what `bid seal --offline` needs; showing the tender does not depend on it.
void RefreshCache(const Session& s, const v1::Tender& t) {
  auto me = LocalParty(s.profile);
  auto cached = CacheTender(s, t, me.ok() ? me->fingerprint() : "");
  if (!cached.ok())
    std::cerr << "bidctl: warning: tender not cached for offline sealing: "
              << cached.status().message() << "\n";
}

absl::Status Get(const Globals& g, const std::string& id) {
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  BO_ASSIGN_OR_RETURN(v1::Tender t, Fetch(s, id));
  RefreshCache(s, t);
  return Show(g, t);
}

struct AmendFlags {
  std::string id, deadline, opening, reason;
  int lot = 1;
};

absl::Status SetTime(const std::string& flag, const std::string& text, absl::TimeZone zone,
                     google::protobuf::Timestamp* out) {
  if (text.empty()) return absl::OkStatus();
  auto t = ParseTime(text, zone);
  if (!t.ok()) return absl::InvalidArgumentError(flag + ": " + std::string(t.status().message()));
  *out = ToProto(*t);
  return absl::OkStatus();
}

absl::Status Amend(const Globals& g, const AmendFlags& f) {
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  BO_ASSIGN_OR_RETURN(v1::Tender t, Fetch(s, f.id));
  BO_ASSIGN_OR_RETURN(absl::TimeZone zone, LoadZone(t.time_zone()));
  v1::AmendLotRequest req;
  req.set_tender_id(f.id);
  req.set_lot(f.lot);
  req.set_reason(f.reason);
  BO_RETURN_IF_ERROR(SetTime("--deadline", f.deadline, zone, req.mutable_submission_deadline()));
  BO_RETURN_IF_ERROR(SetTime("--opening", f.opening, zone, req.mutable_opening_time()));
  if (f.deadline.empty()) req.clear_submission_deadline();
  if (f.opening.empty()) req.clear_opening_time();
  v1::Tender out;
  auto stub = v1::TenderService::NewStub(s.channel);
  BO_ASSIGN_OR_RETURN(auto ctx,
                      SignedContext(s.profile, "/bidopen.v1.TenderService/AmendLot", req));
  BO_RETURN_IF_ERROR(s.Check(stub->AmendLot(ctx.get(), req, &out)));
  return Show(g, out);
}

absl::Status Cancel(const Globals& g, const std::string& id, int lot, const std::string& reason) {
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  v1::CancelTenderRequest req;
  req.set_tender_id(id);
  req.set_lot(lot);
  req.set_reason(reason);
  v1::Tender out;
  auto stub = v1::TenderService::NewStub(s.channel);
  BO_ASSIGN_OR_RETURN(auto ctx,
                      SignedContext(s.profile, "/bidopen.v1.TenderService/CancelTender", req));
  BO_RETURN_IF_ERROR(s.Check(stub->CancelTender(ctx.get(), req, &out)));
  return Show(g, out);
}

void AddCreate(CLI::App* cmd, Globals& g, Action& action) {
  auto f = std::make_shared<CreateFlags>();
  auto* c = cmd->add_subcommand("create", "Create a tender with one lot (or many: --spec)");
  c->add_option("--spec", f->spec_file,
                "JSON CreateTenderRequest (many lots); other flags ignored");
  c->add_option("--title", f->title, "Tender title");
  c->add_option("--reference", f->reference, "Your own project number");
  c->add_option("--timezone", f->time_zone, "IANA time zone, e.g. Asia/Shanghai")
      ->capture_default_str();
  c->add_option("--lot-title", f->lot_title, "Lot title (default: the tender title)");
  c->add_option("--deadline", f->deadline, "Submission deadline, e.g. \"2026-12-01 09:30\"");
  c->add_option("--opening", f->opening, "Opening time (default: the deadline)");
  c->add_option("--window", f->window, "Decryption window, e.g. 30m (default 30m)");
  c->add_option("--min-bids", f->min_bids, "Minimum valid bids (default 3)");
  c->add_option("--sign-in-lead", f->sign_in_lead,
                "Bidders sign in this long before the opening time, never before the deadline "
                "(default 30m)");
  c->add_option("--confirm-window", f->confirm_window,
                "After the announcement, bidders confirm or object for this long (default 10m)");
  c->add_option("--objection-limit", f->objection_limit,
                "Longest objection, in characters (default and most 2000)");
  c->add_option("--field", f->fields, "Opening-form field name:type[:unit]; repeat");
  c->add_option("--policy", f->policy, "Opening policy: BIDDER, QUORUM, ANY (default), BOTH");
  c->add_option("--custodian", f->custodians,
                "Custodian fingerprint, organization or name; repeat");
  c->add_option("--threshold", f->threshold,
                "Custodians needed (k of n; n >= 2k - 1, so fewer than k can never block the lot)");
  c->add_flag("--auto-start", f->auto_start,
              "The server starts the opening itself at the opening time (default: the agency "
              "runs `opening start`); with --spec, for every lot");
  c->callback([&g, &action, f] { action = [&g, f] { return Create(g, *f); }; });
}

void AddAmendCancel(CLI::App* cmd, Globals& g, Action& action) {
  auto a = std::make_shared<AmendFlags>();
  auto* am = cmd->add_subcommand("amend", "Move a lot's deadline/opening (before the deadline)");
  am->add_option("tender", a->id, "Tender id")->required();
  am->add_option("--lot", a->lot, "Lot number")->capture_default_str();
  am->add_option("--deadline", a->deadline, "New submission deadline (tender's time zone)");
  am->add_option("--opening", a->opening, "New opening time");
  am->add_option("--reason", a->reason, "Why (shown to bidders, kept in the log)")->required();
  am->callback([&g, &action, a] { action = [&g, a] { return Amend(g, *a); }; });

  auto c = std::make_shared<AmendFlags>();
  c->lot = 0;
  auto* cn = cmd->add_subcommand("cancel", "Cancel a tender, or one lot with --lot");
  cn->add_option("tender", c->id, "Tender id")->required();
  cn->add_option("--lot", c->lot, "Only this lot (default: the whole tender)");
  cn->add_option("--reason", c->reason, "Why (kept in the log)")->required();
  cn->callback(
      [&g, &action, c] { action = [&g, c] { return Cancel(g, c->id, c->lot, c->reason); }; });
}

}  // namespace

void AddTenderCommands(CLI::App& app, Globals& g, Action& action) {
  auto* cmd = app.add_subcommand("tender", "Create, list, show, amend and cancel tenders");
  cmd->require_subcommand(1);
  AddCreate(cmd, g, action);
  auto all = std::make_shared<bool>(false);
  auto token = std::make_shared<std::string>();
  auto* ls = cmd->add_subcommand("list", "List tenders, newest first");
  ls->add_flag("--all", *all, "Include cancelled tenders");
  ls->add_option("--page-token", *token, "Continue a previous listing");
  ls->callback(
      [&g, &action, all, token] { action = [&g, all, token] { return List(g, *all, *token); }; });
  auto id = std::make_shared<std::string>();
  auto* show = cmd->add_subcommand("show", "Show one tender, times in its time zone");
  show->add_option("tender", *id, "Tender id")->required();
  show->callback([&g, &action, id] { action = [&g, id] { return Get(g, *id); }; });
  AddAmendCancel(cmd, g, action);
}

}  // namespace bidopen::client
