// CertificateRevoked: an operator revoked a certificate, once.
#include "absl/strings/str_cat.h"
#include "core/opening/fold_internal.h"
#include "core/opening/revocation_rules.h"
#include "core/opening/time_text.h"

namespace bidopen::fold_internal {

absl::StatusOr<Changes> ApplyRevoked(const v1::Event& e, Revocations* revoked) {
  if (!e.tender_id().empty()) return Corrupt(e, "a certificate revocation inside a tender");
  if (revoked == nullptr)
    return absl::InternalError(absl::StrCat("event ", e.seq(), ": no revocations to apply it to"));
  if (e.actor().role() != v1::ROLE_OPERATOR)
    return Corrupt(e, "a certificate revoked by a party that is no operator");
  const v1::CertificateRevoked& c = e.certificate_revoked();
  if (!CheckFingerprint("fingerprint", c.fingerprint()).ok())
    return Corrupt(e, "a revocation without a well-formed fingerprint");
  if (revoked->contains(c.fingerprint()))
    return Corrupt(e, absl::StrCat("certificate ", c.fingerprint(), " revoked a second time"));
  v1::Revocation& r = (*revoked)[c.fingerprint()];
  r.set_fingerprint(c.fingerprint());
  r.set_reason(c.reason());
  *r.mutable_revoked_by() = e.actor();
  *r.mutable_revoked() = PositionOf(e);
  Changes changes;
  changes.revoked.push_back(c.fingerprint());
  return changes;
}

}  // namespace bidopen::fold_internal

namespace bidopen::fold_internal {

// Review 4 R7 (docs/protocol.md "Verdicts"): a bidder whose certificate the
// operator revoked after the lot's deadline and before any release of it was
// accepted could not release; a verdict blaming it for the missing release
// contradicts the log. A verdict citing a revocation (revoked_seq) must cite
// exactly such a revocation of the bid's bidder. The tender-only fold checks
// the verdict's shape (fold_verdict.cc); only this, with the whole log's
// revocations, checks the revocation itself.
absl::Status CheckVerdictAgainstRevocations(const v1::Event& e, const TenderState& s,
                                            const Revocations& revoked) {
  const v1::BidVerdict& v = e.bid_verdict();
  auto bid = s.bids.find(v.bid());
  if (bid == s.bids.end() || !bid->second.has_opening() || v.lot() < 1 ||
      v.lot() > s.tender.lots_size())
    return absl::OkStatus();  // ApplyBidVerdict refuses it, naming why
  const v1::BidOpening& o = bid->second.opening();
  const v1::LotSpec& spec = s.tender.lots(v.lot() - 1).spec();
  const bool bidder_needed =
      spec.policy() == v1::OPENING_POLICY_BIDDER || spec.policy() == v1::OPENING_POLICY_BOTH;
  auto r = revoked.find(o.bidder().fingerprint());
  const bool excused =
      bidder_needed && r != revoked.end() &&
      RevokedBeforeRelease(r->second, s.tender.lots(v.lot() - 1), o.bidder_release_seq());
  if (v.revoked_seq() != 0 && (!excused || r->second.revoked().seq() != v.revoked_seq()))
    return Corrupt(
        e,
        absl::StrCat(
            "cites revocation #", v.revoked_seq(), ", which is not a revocation of bid ", v.bid(),
            "'s bidder after the deadline and before the opening started, before it released"));
  if (excused && v.revoked_seq() == 0 && v.fault() == v1::FAULT_BIDDER &&
      v.bad_shares_size() == 0 && !o.bidder_released())
    return Corrupt(
        e, absl::StrCat("blames the bidder of bid ", v.bid(),
                        " for its missing release, but the operator revoked its "
                        "certificate (log #",
                        r->second.revoked().seq(),
                        ") after the deadline and before the opening started, before it released"));
  return absl::OkStatus();
}

}  // namespace bidopen::fold_internal
