#include "client/record_check.h"

#include <iostream>
#include <set>

#include "absl/strings/str_cat.h"
#include "bidopen/v1/opening.grpc.pb.h"
#include "client/log_head.h"
#include "core/crypto/signature.h"
#include "core/log/bundle.h"
#include "core/opening/confirmation.h"
#include "core/opening/fold.h"
#include "core/opening/record.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen::client {
namespace {

// How many lots the tender has, from its first event (TenderCreated).
int LotCount(const v1::AuditBundle& b) {
  v1::Event first;
  if (b.entries().empty() || !first.ParseFromString(b.entries(0).event())) return 0;
  return first.tender_created().lots_size();
}

// The proof joining the closing head and the bundle's head, in whichever
// order their sizes give.
absl::StatusOr<v1::ConsistencyProof> Joining(const Session& s, const v1::SignedTreeHead& closing,
                                             const v1::SignedTreeHead& head) {
  AuditStub stub = v1::AuditService::NewStub(s.channel);
  const uint64_t a = std::min(closing.size(), head.size());
  const uint64_t z = std::max(closing.size(), head.size());
  BO_ASSIGN_OR_RETURN(v1::ConsistencyProof p, FetchConsistency(s, stub, a, z));
  p.set_first(a);
  p.set_second(z);
  return p;
}

absl::Status Lost(const v1::BundleRecord& r, const std::string& tender_id, absl::string_view what) {
  return absl::DataLossError(
      absl::StrCat("the opening record of lot ", r.lot(), " of tender ", tender_id, ": ", what));
}

// Each confirmation on the record: its certificate issued by the CA and
// valid when it confirmed, naming the announced bidder, whose key signed the
// announcement's hash.
absl::Status CheckConfirmations(const v1::OpeningRecordBody& body, const std::string& ca_pem) {
  for (const v1::RecordBid& b : body.bids()) {
    if (!b.has_confirmed()) continue;
    v1::AnnouncementConfirmed c;
    c.set_lot(body.lot());
    c.set_bid(b.announced().bid());
    c.set_announcement_sha256(body.announcement_sha256());
    c.set_signature(b.confirmation_signature());
    c.set_bidder_certificate_pem(b.confirmation_certificate_pem());
    BO_RETURN_IF_ERROR(CheckConfirmationSignature(c, b.announced().bidder(), body.tender_id(),
                                                  ca_pem, FromProto(b.confirmed().time())));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status AddRecords(const Session& s, v1::AuditBundle* b) {
  if (b->tender_id().empty()) return absl::OkStatus();  // the whole log: no lot's records
  auto stub = v1::OpeningService::NewStub(s.channel);
  const int n = LotCount(*b);
  for (int lot = 1; lot <= n; ++lot) {
    if (b->lot() != 0 && lot != b->lot()) continue;
    v1::LotRef ref;
    ref.set_tender_id(b->tender_id());
    ref.set_lot(lot);
    v1::OpeningRecord rec;
    grpc::Status st = stub->GetRecord(CallContext().get(), ref, &rec);
    if (st.error_code() == grpc::StatusCode::FAILED_PRECONDITION) continue;  // not closed
    if (!st.ok()) {  // the bundle is saved all the same; `audit verify` says what is missing
      std::cerr << "warning: the server gave no record of lot " << lot << " of tender "
                << b->tender_id() << ": " << s.Check(st).message() << "\n";
      continue;
    }
    v1::OpeningRecordBody body;
    if (!body.ParseFromString(rec.record()))
      return absl::DataLossError(absl::StrCat("the server's record of lot ", lot, " of tender ",
                                              b->tender_id(), " does not parse"));
    v1::BundleRecord* r = b->add_records();
    r->set_lot(lot);
    r->set_record(rec.record());
    r->set_signature(rec.signature());
    BO_ASSIGN_OR_RETURN(*r->mutable_closing_consistency(),
                        Joining(s, body.closing_head(), b->head()));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::OpeningRecordBody> CheckBundleRecord(const TenderState& state,
                                                        const v1::BundleRecord& r,
                                                        const v1::SignedTreeHead& head,
                                                        const std::string& ca_pem) {
  const std::string& id = state.tender.id();
  v1::OpeningRecordBody body;
  if (!body.ParseFromString(r.record())) return Lost(r, id, "does not parse");
  const v1::SignedTreeHead& closing = body.closing_head();
  if (absl::Status st = log::VerifyHead(closing, ca_pem).status(); !st.ok())
    return Lost(r, id, absl::StrCat("its closing head: ", st.message()));
  if (absl::Status st = crypto::VerifySignature(closing.log_certificate_pem(),
                                                RecordSigningInput(r.record()), r.signature());
      !st.ok())
    return Lost(r, id, absl::StrCat("its signature by the log key: ", st.message()));
  const v1::ConsistencyProof& p = r.closing_consistency();
  const bool closing_first = closing.size() <= head.size();
  if (p.first() != std::min(closing.size(), head.size()) ||
      p.second() != std::max(closing.size(), head.size()))
    return Lost(r, id, "its consistency proof is not between its closing head and the bundle's");
  const absl::Status joined = closing_first
                                  ? log::CheckExtends(closing, head, log::PathOf(p.path()))
                                  : log::CheckExtends(head, closing, log::PathOf(p.path()));
  if (!joined.ok())
    return Lost(r, id, absl::StrCat("its closing head and the bundle's: ", joined.message()));
  BO_ASSIGN_OR_RETURN(body, CheckRecordAgainstLog(state, r.lot(), r.record()));
  if (absl::Status st = CheckConfirmations(body, ca_pem); !st.ok())
    return Lost(r, id, st.message());
  return body;
}

absl::StatusOr<int> CheckBundleRecords(const v1::AuditBundle& b,
                                       const std::vector<v1::Event>& events,
                                       const std::string& ca_pem) {
  if (b.tender_id().empty()) return 0;
  std::vector<v1::Event> tender;
  for (const v1::Event& e : events)
    if (e.tender_id() == b.tender_id()) tender.push_back(e);
  if (tender.empty()) return 0;
  BO_ASSIGN_OR_RETURN(TenderState state, FoldTender(tender));
  std::set<int> recorded;
  for (const v1::BundleRecord& r : b.records()) {
    const bool closed = r.lot() >= 1 && r.lot() <= state.tender.lots_size() &&
                        state.tender.lots(r.lot() - 1).hall().has_closed();
    if (!closed) continue;  // closed after the bundle's head: nothing here to check it with
    BO_RETURN_IF_ERROR(CheckBundleRecord(state, r, b.head(), ca_pem).status());
    recorded.insert(r.lot());
  }
  for (const fold::Lot& lot : state.tender.lots()) {
    if (b.lot() != 0 && lot.number() != b.lot()) continue;
    if (lot.hall().has_closed() && !recorded.contains(lot.number()))
      return absl::DataLossError(absl::StrCat(
          "the opening of lot ", lot.number(), " of tender ", b.tender_id(),
          " closed, but the bundle holds no signed record of it (the server gave none: fetch "
          "it again with `bidctl audit fetch`)"));
  }
  return static_cast<int>(recorded.size());
}

}  // namespace bidopen::client
