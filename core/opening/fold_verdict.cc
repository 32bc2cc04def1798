// Opening events: the verdicts and the end of decryption (docs/protocol.md
// "Verdicts"). A failed verdict may not contradict what the log proves about
// the releases, the start's check of the stored file and the logged reads.
#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/opening/fold_internal.h"
#include "core/opening/opening_rules.h"
#include "core/opening/resupply_rules.h"
#include "core/opening/reveal_check.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen::fold_internal {

namespace {

absl::Status CheckVerdictShape(const v1::Event& e, const fold::Bid& bid) {
  const v1::BidVerdict& v = e.bid_verdict();
  const bool opened = v.status() == v1::BID_STATUS_DECRYPTED;
  if (opened && (v.fault() != v1::FAULT_NONE || v.consequence() != v1::CONSEQUENCE_NONE ||
                 !bid.opening().opened()))
    return Corrupt(e, "a DECRYPTED verdict with a fault, or on a bid that never opened");
  if (opened) {
    if (absl::Status st = CheckAnnouncedValues(bid.header(), v); !st.ok())
      return Corrupt(e, st.message());
    return absl::OkStatus();
  }
  const v1::Consequence follows =
      v.fault() == v1::FAULT_BIDDER ? v1::CONSEQUENCE_REVOKED : v1::CONSEQUENCE_WITHDRAWN;
  if (v.status() != v1::BID_STATUS_DECRYPT_FAILED || v.fault() < v1::FAULT_BIDDER ||
      v.fault() > v1::FAULT_PLATFORM || v.consequence() != follows || v.values_size() > 0 ||
      !v.values_key().empty())
    return Corrupt(e,
                   "a verdict whose status, fault and consequence do not agree, or a failed one "
                   "with values or values_key");
  return absl::OkStatus();
}

std::vector<uint32_t> Sorted(const google::protobuf::RepeatedField<uint32_t>& xs) {
  std::vector<uint32_t> out(xs.begin(), xs.end());
  std::sort(out.begin(), out.end());
  return out;
}

// What the log proves about the stored file: the start's check
// (BidRevealed.stored_matches) and the logged reads (BidDecrypted).
absl::Status CheckVerdictOnTheStoredFile(const v1::Event& e, const v1::BidOpening& o) {
  const v1::BidVerdict& v = e.bid_verdict();
  // The start's check decides the stored file (docs/protocol.md "Verdicts"),
  // unless its bidder put the file back since (BidFileRestored: review 4 R5):
  // one that matched then (or was put back) and not when read holds the
  // verdicts, never fails the bid as the platform's (except for a bidder
  // revoked before it could release: CheckRevokedVerdict); one that did not
  // match then and was not put back is the platform's fault with the SHA-256
  // found then.
  const bool matches = StoredFileMatches(o);
  if (matches && v.fault() == v1::FAULT_PLATFORM && v.revoked_seq() == 0)
    return Corrupt(e, o.restored_seq() != 0
                          ? "fails as the platform's a bid whose bidder put its signed file back "
                            "(BidFileRestored)"
                          : "fails as the platform's a bid whose stored file matched at the start "
                            "(a file changed since holds the verdicts)");
  if (!matches && !v.stored_sha256().empty() && v.stored_sha256() != o.stored_sha256_at_start())
    return Corrupt(e, "names another stored file's SHA-256 than the start's check found");
  // A verdict that fails the bid for the file read (the secret recovered, the
  // stored file did not open) rests on a logged read: a BidDecrypted that did
  // not open it and hashed those very bytes (review 4 R4b: otherwise the
  // operator could read the bid unlogged, see the values, then call the file
  // the bidder's fault).
  if (matches && !v.stored_sha256().empty() &&
      (o.read_failed_seq() == 0 || o.read_failed_sha256() != v.stored_sha256()))
    return Corrupt(e, absl::StrCat("fails bid ", v.bid(),
                                   " for a stored file that did not open, but no logged "
                                   "decryption attempt (BidDecrypted) failed to open that file"));
  return absl::OkStatus();
}

// A verdict citing a revocation (review 4 R7): the platform's fault for the
// bidder's missing release under BIDDER or BOTH, cited before the verdict.
// Whether the revocation is the bidder's, after the deadline and before it
// released, only a whole-log fold can check (CheckVerdictAgainstRevocations).
absl::Status CheckRevokedVerdict(const v1::Event& e, const fold::Lot& lot, const fold::Bid& bid) {
  const v1::BidVerdict& v = e.bid_verdict();
  if (v.revoked_seq() == 0) return absl::OkStatus();
  const v1::OpeningPolicy p = lot.spec().policy();
  if (v.fault() != v1::FAULT_PLATFORM || v.revoked_seq() >= e.seq() ||
      bid.opening().bidder_released() || v.bad_shares_size() > 0 || !v.stored_sha256().empty() ||
      (p != v1::OPENING_POLICY_BIDDER && p != v1::OPENING_POLICY_BOTH))
    return Corrupt(e, absl::StrCat("cites revocation #", v.revoked_seq(),
                                   " for another verdict than the platform's for a missing "
                                   "bidder release under BIDDER or BOTH"));
  return absl::OkStatus();
}

// What the log alone proves about the releases, which a failed verdict may
// not contradict (a verdict blaming a releaser whose release was accepted):
// custodians' fault only with fewer than k accepted custodian keys and, under
// ANY, no accepted bidder release; a bid that opened fails only under ANY by
// the bidder's fault with a bad share (never the platform's); a file that did
// not open with a recovered secret is the bidder's only if the stored file's
// SHA-256 is the signed one and a logged read failed on it; the custodians
// named as not released or with a wrong key are exactly those the releases
// say (a lost release gives no verdict: the opener waits for it to be
// re-supplied).
absl::Status CheckVerdictAgainstReleases(const v1::Event& e, const fold::Lot& lot,
                                         const fold::Bid& bid) {
  const v1::BidVerdict& v = e.bid_verdict();
  if (v.status() == v1::BID_STATUS_DECRYPTED) return absl::OkStatus();
  v1::OpeningPolicy policy = lot.spec().policy();
  if (policy == v1::OPENING_POLICY_UNSPECIFIED) policy = v1::OPENING_POLICY_ANY;
  const v1::BidOpening& o = bid.opening();
  std::vector<uint32_t> not_released, wrong_key;
  int accepted = 0;
  for (int x = 1; policy != v1::OPENING_POLICY_BIDDER && x <= lot.spec().custodians_size(); ++x) {
    const v1::CustodianRelease* r = nullptr;
    for (const v1::CustodianRelease& c : lot.opening().custodians())
      if (c.share_x() == static_cast<uint32_t>(x)) r = &c;
    if (r == nullptr) not_released.push_back(x);
    if (r != nullptr && !r->accepted()) wrong_key.push_back(x);
    accepted += r != nullptr && r->accepted();
  }
  if (v.fault() == v1::FAULT_CUSTODIANS &&
      (policy == v1::OPENING_POLICY_BIDDER || accepted >= lot.spec().threshold() ||
       (policy == v1::OPENING_POLICY_ANY && o.bidder_released())))
    return Corrupt(e,
                   "blames the custodians, but enough of their keys (or, under ANY, the "
                   "bidder's) were accepted");
  // A bid whose BidDecrypted says it opened is DECRYPTED with its values (the
  // server read them, and has them sealed or reads them again), never a
  // platform failure: a fault chosen after the values were read. The one
  // exception is the bidder's fault on the quorum path under ANY, which the
  // releases decide: its own bad share (docs/verdict-matrix.md (e)), or, with
  // k custodian keys accepted, shares of another secret (g; review 7 U2: the
  // server's own verdict must fold, else one bidder stalls the lot).
  if (o.opened() && !(policy == v1::OPENING_POLICY_ANY && v.fault() == v1::FAULT_BIDDER &&
                      (v.bad_shares_size() > 0 || accepted >= lot.spec().threshold())))
    return Corrupt(e,
                   "fails a bid that opened (its BidDecrypted says so): it must be DECRYPTED with "
                   "its values");
  if (!v.stored_sha256().empty() &&
      (v.stored_sha256() == bid.ciphertext_sha256()) != (v.fault() == v1::FAULT_BIDDER))
    return Corrupt(e, "its fault does not follow from the stored file's SHA-256");
  BO_RETURN_IF_ERROR(CheckVerdictOnTheStoredFile(e, o));
  // The bidder's accepted release recovered the secret: its fault then needs
  // the file not to open (stored_sha256) or, with custodians, a bad share or
  // k good ones (inconsistent paths), and only accepted custodians' shares
  // can be bad.
  if (o.bidder_released() && v.fault() == v1::FAULT_BIDDER && v.stored_sha256().empty() &&
      (policy == v1::OPENING_POLICY_BIDDER ||
       (v.bad_shares_size() == 0 && accepted < lot.spec().threshold())))
    return Corrupt(e, "blames the bidder, whose release the log accepted");
  // Review 7 U1b, review 8 V1: with fewer than k custodian keys accepted the
  // quorum path shows no fault of the bidder's, bad shares or not (good, they
  // would still be fewer than k; the header's keys are the lot's: the upload
  // checks them). Only a missing release of the bidder's own (BOTH) or a
  // logged read of the signed file (stored_sha256) makes it the bidder's.
  if (v.fault() == v1::FAULT_BIDDER && v.stored_sha256().empty() &&
      accepted < lot.spec().threshold() && policy != v1::OPENING_POLICY_BIDDER &&
      !(policy == v1::OPENING_POLICY_BOTH && !o.bidder_released()))
    return Corrupt(e, absl::StrCat("blames the bidder, but only ", accepted, " of the ",
                                   lot.spec().threshold(),
                                   " custodian keys it needs were accepted: the failure is the "
                                   "custodians'"));
  if (o.opened() && v.fault() == v1::FAULT_BIDDER && !v.stored_sha256().empty())
    return Corrupt(e, "blames the bidder's file for a bid that opened");
  for (uint32_t x : v.bad_shares())
    if (std::find(not_released.begin(), not_released.end(), x) != not_released.end() ||
        std::find(wrong_key.begin(), wrong_key.end(), x) != wrong_key.end())
      return Corrupt(e, absl::StrCat("names share ", x,
                                     " bad, but its custodian's key was not "
                                     "accepted"));
  if (Sorted(v.not_released()) != not_released || Sorted(v.wrong_key()) != wrong_key)
    return Corrupt(e,
                   "names other custodians as not released or with a wrong key than the "
                   "releases say");
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyBidVerdict(const v1::Event& e, TenderState* s, Changes* changes) {
  const v1::BidVerdict& v = e.bid_verdict();
  BO_ASSIGN_OR_RETURN(fold::Lot * lot, DecryptingLot(e, s, v.lot()));
  BO_ASSIGN_OR_RETURN(fold::Bid * bid, RevealedBid(e, s, v.bid(), v.lot()));
  if (bid->opening().verdict_seq() != 0)
    return Corrupt(e, absl::StrCat("bid ", v.bid(), " has a verdict already"));
  absl::StatusOr<EndDecision> end = DecideEnd(s->tender, v.lot(), FromProto(e.time()), true);
  if (!end.ok() || !end->end) return Corrupt(e, "a verdict before decryption may end");
  BO_RETURN_IF_ERROR(CheckVerdictShape(e, *bid));
  BO_RETURN_IF_ERROR(CheckRevokedVerdict(e, *lot, *bid));
  BO_RETURN_IF_ERROR(CheckVerdictAgainstReleases(e, *lot, *bid));
  bid->set_status(v.status());
  v1::BidOpening* o = bid->mutable_opening();
  o->set_fault(v.fault());
  o->set_consequence(v.consequence());
  o->set_verdict(v.reason());
  *o->mutable_values() = v.values();
  o->set_values_key(v.values_key());
  o->set_verdict_seq(e.seq());
  *o->mutable_not_released() = v.not_released();
  *o->mutable_wrong_key() = v.wrong_key();
  *o->mutable_bad_shares() = v.bad_shares();
  o->set_stored_sha256(v.stored_sha256());
  o->set_revoked_seq(v.revoked_seq());
  v1::LotOpening* lo = lot->mutable_opening();
  if (v.status() == v1::BID_STATUS_DECRYPTED) lo->set_decrypted(lo->decrypted() + 1);
  if (v.status() != v1::BID_STATUS_DECRYPTED) lo->set_decrypt_failed(lo->decrypt_failed() + 1);
  changes->bids.push_back(v.bid());
  return absl::OkStatus();
}

absl::Status ApplyDecryptionEnded(const v1::Event& e, TenderState* s, Changes*) {
  const v1::DecryptionEnded& d = e.decryption_ended();
  BO_ASSIGN_OR_RETURN(fold::Lot * lot, DecryptingLot(e, s, d.lot()));
  v1::LotOpening* o = lot->mutable_opening();
  if (o->decrypted() + o->decrypt_failed() != o->bids() || d.decrypted() != o->decrypted() ||
      d.decrypt_failed() != o->decrypt_failed())
    return Corrupt(e, "decryption ended without one verdict per bid");
  absl::StatusOr<EndDecision> end = DecideEnd(s->tender, d.lot(), FromProto(e.time()), true);
  if (!end.ok() || end->early != d.early()) return Corrupt(e, "decryption ended before it may");
  if (d.failure() != TooFewBids(lot->spec(), o->decrypted(), "bids decrypted"))
    return Corrupt(e, "its failure is not what the lot's minimum gives");
  *o->mutable_ended() = PositionOf(e);
  o->set_ended_early(d.early());
  o->set_failure(d.failure());
  lot->set_status(d.failure().empty() ? v1::LOT_STATUS_ANNOUNCING : v1::LOT_STATUS_FAILED);
  return absl::OkStatus();
}

}  // namespace bidopen::fold_internal
