#include "client/audit_bundle.h"

#include <google/protobuf/util/json_util.h>

#include <iostream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/audit_state.h"
#include "client/cited_heads.h"
#include "client/log_head.h"
#include "client/record_check.h"
#include "client/trusted_ca.h"
#include "core/event_clock.h"
#include "core/files.h"
#include "core/opening/event_codec.h"
#include "core/opening/fold.h"
#include "core/opening/tender_view.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen::client {
namespace {

// The server's head, verified with the session's CA, and the proof that it
// extends the head this user saw last, if any.
absl::Status AddSignedHead(const Session& s, const AuditStub& stub, v1::AuditBundle* b) {
  b->set_format(log::kBundleFormat);
  BO_ASSIGN_OR_RETURN(*b->mutable_head(), FetchHead(s, stub));
  BO_ASSIGN_OR_RETURN(*b->mutable_ca_certificate_pem(), ReadFileBytes(s.profile.ca, "--ca"));
  BO_RETURN_IF_ERROR(log::VerifyHead(b->head(), b->ca_certificate_pem()).status());
  BO_ASSIGN_OR_RETURN(auto extension, Extension(s, stub, b->head()));
  if (!extension) return absl::OkStatus();
  *b->mutable_previous() = extension->first;
  *b->mutable_consistency() = extension->second;
  return absl::OkStatus();
}

absl::Status AddEntries(const Session& s, const AuditStub& stub, const std::string& tender,
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

absl::Status AddProofs(const Session& s, const AuditStub& stub, v1::AuditBundle* b) {
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

// The CA to trust: --ca or the profile's; else the bundle's own, with a warning.
std::string TrustedCa(const Globals& g, const v1::AuditBundle& b) {
  if (auto ca = ReadTrustedCa(g); ca.ok()) return *ca;
  std::cerr << "warning: no --ca given: trusting the CA inside the bundle\n";
  return b.ca_certificate_pem();
}

}  // namespace

absl::StatusOr<v1::AuditBundle> FetchBundle(const Session& s, const std::string& tender_id,
                                            int lot) {
  AuditStub stub = v1::AuditService::NewStub(s.channel);
  v1::AuditBundle b;
  BO_RETURN_IF_ERROR(AddSignedHead(s, stub, &b));
  b.set_tender_id(tender_id);
  b.set_lot(lot);
  BO_RETURN_IF_ERROR(AddEntries(s, stub, b.tender_id(), &b));
  BO_RETURN_IF_ERROR(CheckLotExists(b));
  BO_RETURN_IF_ERROR(AddProofs(s, stub, &b));
  BO_RETURN_IF_ERROR(AddRecords(s, &b));
  BO_RETURN_IF_ERROR(AddCitedHeads(s, &b));
  return b;
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

// An event appended after a head this user verified (its seq at or past the
// head's size) cannot have happened before that head was signed: one timed
// earlier was backdated (a start moved back to shorten the window, a release
// moved before the BOTH turn). DATA_LOSS naming both.
absl::Status NotBackdated(uint64_t seq, const google::protobuf::Timestamp& time,
                          const v1::SignedTreeHead& seen) {
  // Replicas' clocks may differ by up to the step every replica refuses beyond.
  const absl::Time earliest = FromProto(seen.time()) - kReplicaClockSlack;
  if (seq < seen.size() || FromProto(time) >= earliest) return absl::OkStatus();
  return absl::DataLossError(absl::StrCat(
      "log #", seq, " is timed ", TimeText(time, absl::UTCTimeZone()), ", before the head of ",
      seen.size(), " events signed at ", TimeText(seen.time(), absl::UTCTimeZone()),
      " that you verified earlier, yet it was appended after that head: it was backdated"));
}

absl::StatusOr<log::VerifiedBundle> VerifyAndRemember(const Globals& g, const v1::AuditBundle& b) {
  BO_ASSIGN_OR_RETURN(log::VerifiedBundle v, log::VerifyBundle(b, TrustedCa(g, b)));
  BO_ASSIGN_OR_RETURN(auto remembered, RememberedHead(b.head().log_certificate_pem()));
  BO_ASSIGN_OR_RETURN(auto cited, CitedHead(b.head().log_certificate_pem()));
  for (const auto& seen : {remembered, cited})
    if (seen)
      for (const v1::Event& e : v.events)
        BO_RETURN_IF_ERROR(NotBackdated(e.seq(), e.time(), *seen));
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

absl::StatusOr<AuditedBundle> VerifyAndAudit(const Globals& g, const v1::AuditBundle& b) {
  AuditedBundle out;
  BO_ASSIGN_OR_RETURN(out.verified, VerifyAndRemember(g, b));
  auto ca = ReadTrustedCa(g);  // else the bundle's own (VerifyAndRemember warned)
  const std::string& ca_pem = ca.ok() ? *ca : b.ca_certificate_pem();
  BO_ASSIGN_OR_RETURN(out.opening,
                      AuditOpenings(out.verified.events, ca_pem, b.head().log_certificate_pem()));
  BO_ASSIGN_OR_RETURN(out.opening.records, CheckBundleRecords(b, out.verified.events, ca_pem));
  BO_ASSIGN_OR_RETURN(out.opening.cited_heads, CheckCitedHeads(b, out.verified.events));
  return out;
}

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

}  // namespace bidopen::client
