// bidctl audit head|fetch|verify|replay (docs/audit-log.md)
#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "bidopen/v1/audit.grpc.pb.h"
#include "client/audit_bundle.h"
#include "client/audit_state.h"
#include "client/command.h"
#include "client/log_head.h"
#include "client/tender_text.h"
#include "core/files.h"
#include "core/log/bundle.h"
#include "core/opening/fold.h"
#include "core/opening/tender_view.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen::client {
namespace {

using Stub = AuditStub;

std::string RootText(const std::string& raw) { return absl::Base64Escape(raw); }

void PrintHead(const v1::SignedTreeHead& head) {
  std::cout << "tree size  " << head.size() << "\n"
            << "root hash  " << RootText(head.root_hash()) << "\n"
            << "signed at  " << TimeText(head.time(), absl::UTCTimeZone()) << "\n";
}

absl::Status Head(const Globals& g) {
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  Stub stub = v1::AuditService::NewStub(s.channel);
  BO_ASSIGN_OR_RETURN(v1::SignedTreeHead head, FetchHead(s, stub));
  BO_ASSIGN_OR_RETURN(std::string ca, ReadFileBytes(s.profile.ca, "--ca"));
  BO_RETURN_IF_ERROR(log::VerifyHead(head, ca).status());
  BO_ASSIGN_OR_RETURN(auto extension, Extension(s, stub, head));
  BO_RETURN_IF_ERROR(RememberHead(head));
  if (g.json) return PrintJson(head), absl::OkStatus();
  PrintHead(head);
  std::cout << (extension ? absl::StrCat("consistent with the head of size ",
                                         extension->first.size(), " you saw before\n")
                          : std::string("first head seen from this log; remembered\n"));
  return absl::OkStatus();
}

absl::Status WriteBundle(const v1::AuditBundle& b, const std::string& path) {
  google::protobuf::util::JsonPrintOptions opts;
  opts.add_whitespace = true;
  opts.preserve_proto_field_names = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(b, &json, opts);
  std::ofstream out(path, std::ios::trunc);
  out << json;
  if (!out) return absl::PermissionDeniedError(absl::StrCat("-o: cannot write ", path));
  return absl::OkStatus();
}

// "T-XXXX" (a tender), "T-XXXX/2" (its lot 2) or "all" (the whole log).
absl::StatusOr<std::pair<std::string, int>> ParseTarget(const std::string& text) {
  if (text == "all") return std::make_pair(std::string(), 0);
  auto slash = text.find('/');
  if (slash == std::string::npos) return std::make_pair(text, 0);
  int lot = 0;
  if (!absl::SimpleAtoi(text.substr(slash + 1), &lot) || lot < 1)
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\": write TENDER, TENDER/LOT (lot 1, 2, ...) or all"));
  return std::make_pair(text.substr(0, slash), lot);
}

absl::Status Fetch(const Globals& g, const std::string& tender, const std::string& path) {
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  BO_ASSIGN_OR_RETURN(auto target, ParseTarget(tender));
  BO_ASSIGN_OR_RETURN(v1::AuditBundle b, FetchBundle(s, target.first, target.second));
  BO_RETURN_IF_ERROR(WriteBundle(b, path));
  std::cerr << "wrote " << b.entries_size() << " events"
            << (b.tender_id().empty() ? " (the whole log)" : " of tender " + b.tender_id())
            << (b.lot() ? absl::StrCat(" (for lot ", b.lot(), ")") : "")
            << " with proofs against the signed head of size " << b.head().size() << " to " << path
            << "\n";
  return absl::OkStatus();
}

absl::Status Verify(const Globals& g, const std::string& path) {
  BO_ASSIGN_OR_RETURN(v1::AuditBundle bundle, ReadBundle(path));
  BO_ASSIGN_OR_RETURN(AuditedBundle audited, VerifyAndAudit(g, bundle));
  const log::VerifiedBundle& v = audited.verified;
  std::cout << "OK: " << v.events.size() << " events verified against the signed head of "
            << v.head.size << " events (" << v.head.origin << ", signed "
            << TimeText(v.head.time, absl::UTCTimeZone()) << ")\n";
  for (const std::string& line : OpeningAuditLines(audited.opening))
    std::cout << "OK: " << line << "\n";
  return absl::OkStatus();
}

absl::Status Replay(const Globals& g, const std::string& path) {
  BO_ASSIGN_OR_RETURN(v1::AuditBundle bundle, ReadBundle(path));
  BO_ASSIGN_OR_RETURN(log::VerifiedBundle v, VerifyAndRemember(g, bundle));
  std::map<std::string, std::vector<v1::Event>> by_tender;
  for (auto& e : v.events)
    if (!e.tender_id().empty()) by_tender[e.tender_id()].push_back(e);
  v1::ListTendersResponse all;
  for (const auto& [id, events] : by_tender) {
    BO_ASSIGN_OR_RETURN(TenderState state, FoldTender(events));
    *all.add_tenders() = TenderView(state);
    BO_RETURN_IF_ERROR(OnlyLot(bundle.lot(), all.mutable_tenders(all.tenders_size() - 1)));
  }
  if (g.json)
    return all.tenders_size() == 1 ? PrintJson(all.tenders(0)) : PrintJson(all), absl::OkStatus();
  for (const auto& t : all.tenders()) PrintTender(std::cout, t);
  return absl::OkStatus();
}

}  // namespace

void AddAuditCommands(CLI::App& app, Globals& g, Action& action) {
  auto* cmd = app.add_subcommand("audit", "Check the tamper-evident log, online or offline");
  cmd->require_subcommand(1);
  cmd->add_subcommand("head", "Fetch, verify and remember the signed tree head")
      ->callback([&g, &action] { action = [&g] { return Head(g); }; });
  auto target = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto* fetch = cmd->add_subcommand("fetch", "Save a tender's events with proofs to a bundle");
  fetch->add_option("tender", *target, "TENDER, TENDER/LOT, or `all` for the whole log")
      ->required();
  fetch->add_option("-o,--output", *out, "Bundle file to write")->required();
  fetch->callback([&g, &action, target, out] {
    action = [&g, target, out] { return Fetch(g, *target, *out); };
  });
  auto file = std::make_shared<std::string>();
  auto* verify = cmd->add_subcommand("verify", "Check a bundle offline (no server needed)");
  verify->add_option("bundle", *file, "Bundle file")->required();
  verify->callback([&g, &action, file] { action = [&g, file] { return Verify(g, *file); }; });
  auto* replay = cmd->add_subcommand("replay", "Verify, then fold the events into the tender");
  replay->add_option("bundle", *file, "Bundle file")->required();
  replay->callback([&g, &action, file] { action = [&g, file] { return Replay(g, *file); }; });
  AddAuditCheckBidCommand(*cmd, g, action);
}

}  // namespace bidopen::client
