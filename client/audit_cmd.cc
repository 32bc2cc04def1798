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
#include "client/audit_opening.h"
#include "client/audit_state.h"
#include "client/command.h"
#include "client/log_head.h"
#include "client/tender_text.h"
#include "client/trusted_ca.h"
#include "core/files.h"
#include "core/log/bundle.h"
#include "core/opening/event_codec.h"
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

absl::Status AddEntries(const Session& s, const Stub& stub, const std::string& tender,
                        v1::AuditBundle* b) {
  v1::GetEventsRequest req;
  req.set_tender_id(tender);
  req.set_end(b->head().size());
  for (;;) {
    v1::GetEventsResponse page;
    BO_RETURN_IF_ERROR(s.Check(stub->GetEvents(CallContext().get(), req, &page)));
    for (const auto& e : page.entries()) {
      auto* entry = b->add_entries();
      entry->set_seq(e.seq());
      entry->set_event(e.event());
    }
    if (page.next_start() == 0) return absl::OkStatus();
    req.set_start(page.next_start());
  }
}

absl::Status AddProofs(const Session& s, const Stub& stub, v1::AuditBundle* b) {
  if (b->tender_id().empty()) return absl::OkStatus();  // whole log: root recomputed
  for (auto& entry : *b->mutable_entries()) {
    v1::GetInclusionProofRequest req;
    req.set_index(entry.seq());
    req.set_tree_size(b->head().size());
    v1::InclusionProof proof;
    BO_RETURN_IF_ERROR(s.Check(stub->GetInclusionProof(CallContext().get(), req, &proof)));
    *entry.mutable_inclusion_path() = proof.path();
  }
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

// Keeps only lot `number` of a replayed tender (0: all lots).
absl::Status OnlyLot(int number, v1::Tender* t) {
  if (number == 0) return absl::OkStatus();
  for (const auto& lot : t->lots())
    if (lot.number() == number) {
      v1::Lot keep = lot;
      t->clear_lots();
      *t->add_lots() = std::move(keep);
      return absl::OkStatus();
    }
  return absl::NotFoundError(absl::StrCat("tender ", t->id(), " has no lot ", number));
}

// NOT_FOUND before anything is written if the bundle's tender has no such lot.
absl::Status CheckLotExists(const v1::AuditBundle& b) {
  if (b.lot() == 0) return absl::OkStatus();
  std::vector<v1::Event> events;
  for (const auto& e : b.entries()) {
    BO_ASSIGN_OR_RETURN(events.emplace_back(), DecodeEvent(e.event(), e.seq()));
  }
  BO_ASSIGN_OR_RETURN(TenderState state, FoldTender(events));
  v1::Tender tender = TenderView(state);
  return OnlyLot(b.lot(), &tender);
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
  Stub stub = v1::AuditService::NewStub(s.channel);
  v1::AuditBundle b;
  b.set_format(log::kBundleFormat);
  BO_ASSIGN_OR_RETURN(*b.mutable_head(), FetchHead(s, stub));
  BO_ASSIGN_OR_RETURN(*b.mutable_ca_certificate_pem(), ReadFileBytes(s.profile.ca, "--ca"));
  BO_RETURN_IF_ERROR(log::VerifyHead(b.head(), b.ca_certificate_pem()).status());
  BO_ASSIGN_OR_RETURN(auto extension, Extension(s, stub, b.head()));
  if (extension) {
    *b.mutable_previous() = extension->first;
    *b.mutable_consistency() = extension->second;
  }
  BO_ASSIGN_OR_RETURN(auto target, ParseTarget(tender));
  b.set_tender_id(target.first);
  b.set_lot(target.second);
  BO_RETURN_IF_ERROR(AddEntries(s, stub, b.tender_id(), &b));
  BO_RETURN_IF_ERROR(CheckLotExists(b));
  BO_RETURN_IF_ERROR(AddProofs(s, stub, &b));
  BO_RETURN_IF_ERROR(WriteBundle(b, path));
  std::cerr << "wrote " << b.entries_size() << " events"
            << (b.tender_id().empty() ? " (the whole log)" : " of tender " + b.tender_id())
            << (b.lot() ? absl::StrCat(" (for lot ", b.lot(), ")") : "")
            << " with proofs against the signed head of size " << b.head().size() << " to " << path
            << "\n";
  return absl::OkStatus();
}

absl::StatusOr<v1::AuditBundle> ReadBundle(const std::string& path) {
  BO_ASSIGN_OR_RETURN(std::string json, ReadFileBytes(path, "bundle"));
  v1::AuditBundle b;
  auto st = google::protobuf::util::JsonStringToMessage(json, &b);
  if (!st.ok())
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not an audit bundle: ", st.message().as_string()));
  return b;
}

// The CA to trust: --ca or the profile's; else the bundle's own, with a warning.
std::string TrustedCa(const Globals& g, const v1::AuditBundle& b) {
  if (auto ca = ReadTrustedCa(g); ca.ok()) return *ca;
  std::cerr << "warning: no --ca given: trusting the CA inside the bundle\n";
  return b.ca_certificate_pem();
}

// Verifies the bundle and that its head extends the head this auditor saw last.
absl::StatusOr<log::VerifiedBundle> VerifyAndRemember(const Globals& g, const v1::AuditBundle& b) {
  BO_ASSIGN_OR_RETURN(log::VerifiedBundle v, log::VerifyBundle(b, TrustedCa(g, b)));
  BO_ASSIGN_OR_RETURN(auto remembered, RememberedHead(b.head().log_certificate_pem()));
  bool linked = !remembered || (b.has_previous() && b.previous().size() == remembered->size() &&
                                b.previous().root_hash() == remembered->root_hash());
  if (remembered && remembered->size() == b.head().size()) {
    BO_RETURN_IF_ERROR(log::CheckExtends(*remembered, b.head(), {}));
    linked = true;
  }
  if (linked) BO_RETURN_IF_ERROR(RememberHead(b.head()));
  if (!linked)
    std::cerr << "warning: this bundle does not link to the head you verified last (size "
              << remembered->size() << "); fetch a fresh one or run `bidctl audit head`\n";
  return v;
}

absl::Status Verify(const Globals& g, const std::string& path) {
  BO_ASSIGN_OR_RETURN(v1::AuditBundle bundle, ReadBundle(path));
  BO_ASSIGN_OR_RETURN(log::VerifiedBundle v, VerifyAndRemember(g, bundle));
  auto ca = ReadTrustedCa(g);  // else the bundle's own (VerifyAndRemember warned)
  BO_ASSIGN_OR_RETURN(OpeningAudit opening,
                      AuditOpenings(v.events, ca.ok() ? *ca : bundle.ca_certificate_pem()));
  std::cout << "OK: " << v.events.size() << " events verified against the signed head of "
            << v.head.size << " events (" << v.head.origin << ", signed "
            << TimeText(v.head.time, absl::UTCTimeZone()) << ")\n";
  for (const std::string& line : OpeningAuditLines(opening)) std::cout << "OK: " << line << "\n";
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
