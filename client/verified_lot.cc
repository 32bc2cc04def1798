#include "client/verified_lot.h"

#include "absl/strings/str_cat.h"
#include "client/audit_actions.h"
#include "client/audit_bundle.h"
#include "core/crypto/sha256.h"
#include "core/opening/fold.h"
#include "core/opening/tender_view.h"
#include "core/status_macros.h"

namespace bidopen::client {

namespace {

// The tender's verified events and the head they lead to.
absl::StatusOr<log::VerifiedBundle> VerifiedTender(const Globals& g, const v1::AuditBundle& b,
                                                   const LotName& lot) {
  absl::StatusOr<AuditedBundle> audited = VerifyAndAudit(g, b);
  if (!audited.ok())
    return absl::Status(audited.status().code(),
                        absl::StrCat("the log of tender ", lot.tender_id,
                                     " does not verify: ", audited.status().message()));
  log::VerifiedBundle out;
  out.head = audited->verified.head;
  for (v1::Event& e : audited->verified.events)
    if (e.tender_id() == lot.tender_id) out.events.push_back(std::move(e));
  if (out.events.empty())
    return absl::NotFoundError(absl::StrCat("tender ", lot.tender_id, " is not in the log"));
  return out;
}

}  // namespace

absl::StatusOr<std::vector<v1::Event>> VerifiedEvents(const Globals& g, const v1::AuditBundle& b,
                                                      const LotName& lot) {
  BO_ASSIGN_OR_RETURN(log::VerifiedBundle v, VerifiedTender(g, b, lot));
  return std::move(v.events);
}

absl::StatusOr<VerifiedLot> FetchVerifiedLot(const Globals& g, const Session& s,
                                             const LotName& lot) {
  BO_ASSIGN_OR_RETURN(v1::AuditBundle b, FetchBundle(s, lot.tender_id, lot.lot));
  BO_ASSIGN_OR_RETURN(log::VerifiedBundle verified, VerifiedTender(g, b, lot));
  BO_RETURN_IF_ERROR(CheckSignedTender(verified.events, lot.tender_id));
  BO_ASSIGN_OR_RETURN(TenderState state, FoldTender(verified.events));
  const v1::Tender t = TenderView(state);
  for (const v1::Lot& l : t.lots()) {
    if (l.number() != lot.lot) continue;
    VerifiedLot out{l, t.time_zone(), verified.head, b.head(), {}};
    for (const auto& [seq, bid] : state.bids)
      if (bid.lot() == lot.lot && bid.has_opening()) out.revealed_headers[seq] = bid.header();
    return out;
  }
  return absl::NotFoundError(absl::StrCat("tender ", lot.tender_id, " has no lot ", lot.lot));
}

absl::Status CheckMyRevealedBid(const VerifiedLot& v, const LotName& lot,
                                const std::string& fingerprint, uint64_t bid,
                                const std::string& header) {
  const v1::BidEntry* revealed = nullptr;
  for (const v1::BidEntry& b : v.lot.bids())
    if (b.has_opening() && b.opening().bidder().fingerprint() == fingerprint) revealed = &b;
  if (revealed == nullptr)
    return absl::NotFoundError(absl::StrCat("the verified log of tender ", lot.tender_id,
                                            " reveals no bid of yours in lot ", lot.lot,
                                            "; nothing was unwrapped or sent"));
  auto logged = v.revealed_headers.find(revealed->seq());
  if (revealed->seq() == bid && logged != v.revealed_headers.end() && logged->second == header)
    return absl::OkStatus();
  return absl::DataLossError(absl::StrCat(
      "the server's copy of your bid (bid #", bid, ", header SHA-256 ",
      crypto::Hex(crypto::Sha256(header)),
      ") is not the bid the verified log revealed for you in lot ", lot.lot, " of ", lot.tender_id,
      " (bid #", revealed->seq(), ", header SHA-256 ",
      crypto::Hex(crypto::Sha256(logged == v.revealed_headers.end() ? "" : logged->second)),
      "): it may be a withdrawn or replaced bid's, whose secret must stay yours; nothing was "
      "unwrapped or sent"));
}

}  // namespace bidopen::client
