// bidctl audit check-bid T/L BID [-o DIR] [--bundle FILE] (auditor,
// supervisor): re-runs one bid's verdict offline from what the server stores
// (the sealed file, every release) and compares it with the verdict in the
// log: the tender's audit bundle, verified as `audit verify` does and folded
// here, never the server's query view.
#include <stdlib.h>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bidopen/v1/tender.pb.h"
#include "client/audit_bundle.h"
#include "client/bid_evidence.h"
#include "client/command.h"
#include "client/opening_text.h"
#include "client/verdict_replay.h"
#include "client/verified_lot.h"
#include "core/crypto/sha256.h"
#include "core/opening/fold.h"
#include "core/opening/tender_view.h"
#include "core/opening/verdict_rules.h"
#include "core/status_macros.h"

namespace bidopen::client {
namespace {

struct CheckBidFlags {
  LotFlags lot;
  uint64_t bid = 0;
  std::string dir;     // default: a fresh temporary directory
  std::string bundle;  // default: fetch the tender's bundle now
};

absl::StatusOr<std::string> OutputDir(const std::string& given) {
  if (!given.empty()) return given;
  std::string tmpl = (std::filesystem::temp_directory_path() / "bidctl-check-bid-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr)
    return absl::PermissionDeniedError(absl::StrCat("cannot create a directory like ", tmpl));
  return tmpl;
}

// The tender's bundle: fetched with proofs against the server's signed head,
// or the one `audit fetch` saved (--bundle).
absl::StatusOr<v1::AuditBundle> TenderBundle(const Session& s, const CheckBidFlags& f,
                                             const LotName& lot) {
  if (f.bundle.empty()) return FetchBundle(s, lot.tender_id, lot.lot);
  BO_ASSIGN_OR_RETURN(v1::AuditBundle b, ReadBundle(f.bundle));
  if (!b.tender_id().empty() && b.tender_id() != lot.tender_id)
    return absl::InvalidArgumentError(absl::StrCat("--bundle: ", f.bundle, " holds tender ",
                                                   b.tender_id(), ", not ", lot.tender_id));
  return b;
}

// The lot and the logged entry of the bid, from the tender as the verified log
// folds it (never the server's query view, whose rows the operator can edit).
absl::StatusOr<std::pair<v1::Lot, v1::BidEntry>> LoggedBid(const std::vector<v1::Event>& events,
                                                           const LotName& lot, uint64_t bid) {
  BO_ASSIGN_OR_RETURN(TenderState state, FoldTender(events));
  const v1::Tender t = TenderView(state);
  for (const v1::Lot& l : t.lots()) {
    if (l.number() != lot.lot) continue;
    for (const v1::BidEntry& b : l.bids())
      if (b.seq() == bid) return std::make_pair(l, b);
    return absl::NotFoundError(
        absl::StrCat("lot ", lot.lot, " of tender ", lot.tender_id, " has no bid #", bid));
  }
  return absl::NotFoundError(absl::StrCat("tender ", lot.tender_id, " has no lot ", lot.lot));
}

absl::Status NoVerdictYet(const v1::BidEntry& b) {
  if (b.status() == v1::BID_STATUS_DECRYPTED || b.status() == v1::BID_STATUS_DECRYPT_FAILED)
    return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("bid #", b.seq(), " has no verdict in the log (it is ",
                   OpeningBidStatusName(b.status()), "); verdicts are given when decryption ends"));
}

std::string VerdictText(const v1::BidVerdict& v) {
  std::string out = absl::StrCat(OpeningBidStatusName(v.status()), ", fault ", FaultName(v.fault()),
                                 ", ", ConsequenceName(v.consequence()));
  if (v.values_size() > 0) absl::StrAppend(&out, ", ", v.values_size(), " values");
  return out;
}

void PrintText(const SavedEvidence& e, const ReplayedVerdict& r,
               const std::vector<std::string>& diffs) {
  std::cout << "Bid #" << e.head.bid() << "\n"
            << "  sealed file        " << e.file << " (" << e.head.size() << " bytes, SHA-256 "
            << (r.file_matches ? "the one the bidder signed" : "NOT the one the bidder signed")
            << ")\n"
            << "  releases           " << e.releases_file << " (" << e.head.releases_size() << "; "
            << r.bidder_release << ")\n"
            << "  re-run verdict     " << VerdictText(r.verdict) << "\n"
            << "  reason             " << r.verdict.reason() << "\n";
  for (const auto& v : r.verdict.values())
    std::cout << "    " << v.name() << " = " << v.value() << "\n";
  for (const auto& n : r.notes) std::cout << "  note: " << n << "\n";
  if (diffs.empty()) {
    std::cout << "same verdict as the log: " << VerdictText(r.verdict) << "\n";
    return;
  }
  std::cout << "the verdict in the log differs:\n";
  for (const auto& d : diffs) std::cout << "  " << d << "\n";
}

void PrintJsonResult(const SavedEvidence& e, const ReplayedVerdict& r,
                     const std::vector<std::string>& diffs) {
  nlohmann::json j = {{"bid", e.head.bid()},
                      {"file", e.file},
                      {"releases_file", e.releases_file},
                      {"file_matches", r.file_matches},
                      {"status", OpeningBidStatusName(r.verdict.status())},
                      {"fault", v1::Fault_Name(r.verdict.fault())},
                      {"consequence", v1::Consequence_Name(r.verdict.consequence())},
                      {"reason", r.verdict.reason()},
                      {"values", nlohmann::json::object()},
                      {"notes", r.notes},
                      {"same_as_log", diffs.empty()},
                      {"differences", diffs}};
  for (const auto& v : r.verdict.values()) j["values"][v.name()] = v.value();
  std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

absl::Status CheckBid(const Globals& g, const CheckBidFlags& f) {
  BO_ASSIGN_OR_RETURN(LotName lot, ParseLotName(f.lot.lot, f.lot.lot_flag));
  if (f.bid == 0) return absl::InvalidArgumentError("bid: give the bid's log index (#seq), not 0");
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  BO_ASSIGN_OR_RETURN(v1::AuditBundle bundle, TenderBundle(s, f, lot));
  BO_ASSIGN_OR_RETURN(std::vector<v1::Event> events, VerifiedEvents(g, bundle, lot));
  BO_ASSIGN_OR_RETURN(auto logged, LoggedBid(events, lot, f.bid));
  BO_RETURN_IF_ERROR(NoVerdictYet(logged.second));
  BO_ASSIGN_OR_RETURN(std::string dir, OutputDir(f.dir));
  BO_ASSIGN_OR_RETURN(SavedEvidence e, SaveBidEvidence(s, lot, f.bid, dir));
  if (f.dir.empty()) std::cerr << "saved the evidence in " << dir << "\n";
  BO_ASSIGN_OR_RETURN(ReplayedVerdict r, ReplayVerdict(e, logged.first, &logged.second.opening(),
                                                       KeyReleasesOf(events, lot.lot)));
  std::vector<std::string> diffs = VerdictDifferences(r.verdict, logged.second);
  diffs.insert(diffs.end(), r.untied.begin(), r.untied.end());
  g.json ? PrintJsonResult(e, r, diffs) : PrintText(e, r, diffs);
  if (diffs.empty()) return absl::OkStatus();
  return absl::DataLossError(absl::StrCat("bid #", f.bid,
                                          ": the verdict re-run offline differs from the log's (",
                                          absl::StrJoin(diffs, "; "), ")"));
}

}  // namespace

void AddAuditCheckBidCommand(CLI::App& audit, Globals& g, Action& action) {
  auto f = std::make_shared<CheckBidFlags>();
  auto* c = audit.add_subcommand(
      "check-bid",
      "Auditor, supervisor: re-run one bid's verdict offline from the stored file and every "
      "release, and compare it with the log's");
  AddLotArgument(*c, f->lot);
  c->add_option("bid", f->bid, "The bid's log index (BID in `opening status`)")->required();
  c->add_option("-o,--output", f->dir,
                "Directory to keep the sealed file and releases in (default: a new temporary "
                "directory)");
  c->add_option("--bundle", f->bundle,
                "Compare with the log in this bundle (saved by `audit fetch`) instead of fetching "
                "the tender's bundle now; it is verified all the same");
  c->callback([&g, &action, f] { action = [&g, f] { return CheckBid(g, *f); }; });
}

}  // namespace bidopen::client
