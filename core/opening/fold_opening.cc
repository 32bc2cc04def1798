// Opening events: started (with the bids revealed), releases, decryption
// attempts (docs/protocol.md "Opening"); verdicts and the end of decryption
// are in fold_verdict.cc. Each checks that the log obeyed
// core/opening/opening_rules.h.
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/event_clock.h"
#include "core/opening/fold_internal.h"
#include "core/opening/lot_rules.h"
#include "core/opening/opening_rules.h"
#include "core/opening/release_signature.h"
#include "core/opening/resupply_rules.h"
#include "core/opening/reveal_check.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen::fold_internal {

// The lot with its opening under way: started, not failed, not ended.
absl::StatusOr<fold::Lot*> DecryptingLot(const v1::Event& e, TenderState* s, int number) {
  BO_ASSIGN_OR_RETURN(fold::Lot * lot, LotOf(e, &s->tender, number));
  const v1::LotOpening& o = lot->opening();
  if (!o.has_started() || !o.failure().empty() || o.has_ended() ||
      lot->status() != v1::LOT_STATUS_DECRYPTING)
    return Corrupt(e, absl::StrCat("lot ", number, " is not decrypting"));
  return lot;
}

// Verdicts are given together, with every release of the lot: nothing is
// released or decrypted between them.
absl::Status CheckNoVerdictYet(const v1::Event& e, const fold::Lot& lot, absl::string_view what) {
  if (lot.opening().decrypted() + lot.opening().decrypt_failed() > 0)
    return Corrupt(e, absl::StrCat(what, " after the lot's verdicts began"));
  return absl::OkStatus();
}

// A bid of the lot revealed at its opening.
absl::StatusOr<fold::Bid*> RevealedBid(const v1::Event& e, TenderState* s, uint64_t seq,
                                       int number) {
  auto it = s->bids.find(seq);
  if (it == s->bids.end() || it->second.lot() != number || !it->second.has_opening())
    return Corrupt(e, absl::StrCat("bid ", seq, " was not revealed in lot ", number));
  return &it->second;
}

namespace {

absl::Status CheckStartActor(const v1::Event& e, const fold::Tender& t, const fold::Lot& lot) {
  const bool by_agency = e.actor().fingerprint() == t.agency().fingerprint();
  if (e.opening_started().auto_started() ? !lot.spec().auto_start() : !by_agency)
    return Corrupt(e, "the opening was started by neither the agency nor an auto-start");
  return absl::OkStatus();
}

// The start lists exactly the lot's live bids.
absl::Status CheckListed(const v1::Event& e, TenderState* s, const fold::Lot& lot) {
  const auto& bids = e.opening_started().bids();
  if (static_cast<uint32_t>(bids.size()) != lot.bids().live())
    return Corrupt(e, absl::StrCat("lists ", bids.size(), " bids but the lot has ",
                                   lot.bids().live(), " live"));
  for (int i = 0; i < bids.size(); ++i) {
    auto it = s->bids.find(bids[i]);
    if ((i > 0 && bids[i] <= bids[i - 1]) || it == s->bids.end() ||
        it->second.lot() != lot.number() || it->second.status() != v1::BID_STATUS_LIVE)
      return Corrupt(e,
                     absl::StrCat("lists bid ", bids[i], ", not a live bid of the lot in order"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyOpeningStarted(const v1::Event& e, TenderState* s, Changes*) {
  const v1::OpeningStarted& o = e.opening_started();
  BO_ASSIGN_OR_RETURN(fold::Lot * lot, LotOf(e, &s->tender, o.lot()));
  BO_RETURN_IF_ERROR(CheckStartActor(e, s->tender, *lot));
  std::vector<uint64_t> listed(o.bids().begin(), o.bids().end());
  absl::StatusOr<v1::OpeningStarted> decided =
      DecideStart(s->tender, o.lot(), listed, FromProto(e.time()), o.auto_started());
  if (!decided.ok()) return Corrupt(e, decided.status().message());
  BO_RETURN_IF_ERROR(CheckListed(e, s, *lot));
  if (decided->failure() != o.failure() ||
      FromProto(decided->window_end()) != FromProto(o.window_end()))
    return Corrupt(e, "its window end or failure is not what the lot's rules give");
  v1::LotOpening* opening = lot->mutable_opening();
  *opening->mutable_started() = PositionOf(e);
  *opening->mutable_started_by() = e.actor();
  opening->set_auto_started(o.auto_started());
  *opening->mutable_window_end() = o.window_end();
  opening->set_bids(o.bids_size());
  opening->set_failure(o.failure());
  lot->set_status(o.failure().empty() ? v1::LOT_STATUS_DECRYPTING : v1::LOT_STATUS_FAILED);
  return absl::OkStatus();
}

absl::Status ApplyBidRevealed(const v1::Event& e, TenderState* s, Changes* changes) {
  const v1::BidRevealed& r = e.bid_revealed();
  BO_ASSIGN_OR_RETURN(fold::Lot * lot, DecryptingLot(e, s, r.lot()));
  auto it = s->bids.find(r.bid());
  if (it == s->bids.end() || it->second.lot() != r.lot() ||
      it->second.status() != v1::BID_STATUS_LIVE || it->second.has_opening())
    return Corrupt(e, absl::StrCat("reveals bid ", r.bid(), ", not an unrevealed live bid"));
  if (lot->opening().revealed() >= lot->opening().bids())
    return Corrupt(e, "reveals more bids than the opening listed");
  fold::Bid& bid = it->second;
  absl::StatusOr<v1::BidStatement> statement = CheckReveal(r, bid, s->tender.id());
  if (!statement.ok()) return Corrupt(e, statement.status().message());
  // Every reveal the server appends carries the start's check of the stored
  // file. Without it a file that did not open could be called the platform's
  // fault, chosen after the values were read (review 4 R4).
  if (!r.has_stored_matches())
    return Corrupt(e, absl::StrCat("bid ", r.bid(),
                                   " is revealed without the start's check of its stored file "
                                   "(stored_matches): every reveal carries it"));
  if (r.stored_matches() ? !r.stored_sha256().empty()
                         : r.stored_sha256() == statement->ciphertext_sha256())
    return Corrupt(e, absl::StrCat("bid ", r.bid(),
                                   ": its start check does not agree with the stored file's "
                                   "SHA-256 it names"));
  v1::BidOpening* o = bid.mutable_opening();
  *o->mutable_bidder() = r.bidder();
  o->set_bidder_nonce(r.bidder_nonce());
  o->set_stored_matched_at_start(r.stored_matches());
  o->set_stored_sha256_at_start(r.stored_sha256());
  o->set_revealed_seq(e.seq());
  bid.set_header(r.header());
  bid.set_header_hash(statement->header_sha256());
  bid.set_ciphertext_sha256(statement->ciphertext_sha256());
  lot->mutable_opening()->set_revealed(lot->opening().revealed() + 1);
  // A file found altered: its bidder may put it back, and no key is released,
  // until the re-supply period ends (review 6 T1).
  if (!r.stored_matches() && !lot->opening().has_resupply_end())
    *lot->mutable_opening()->mutable_resupply_end() =
        ToProto(FromProto(lot->opening().started().time()) + ResupplyPeriod(lot->spec()));
  changes->bids.push_back(r.bid());
  return absl::OkStatus();
}

namespace {

absl::Status ApplyBidderRelease(const v1::Event& e, TenderState* s, const fold::Lot& lot,
                                Changes* changes) {
  const v1::KeyReleased& k = e.key_released();
  if (lot.spec().policy() == v1::OPENING_POLICY_QUORUM)
    return Corrupt(e, "a bidder's release in a lot whose policy is QUORUM");
  BO_ASSIGN_OR_RETURN(fold::Bid * bid, RevealedBid(e, s, k.bid(), k.lot()));
  v1::BidOpening* o = bid->mutable_opening();
  if (o->bidder().fingerprint() != e.actor().fingerprint())
    return Corrupt(e, absl::StrCat("a release for bid ", k.bid(), " by another than its bidder"));
  if (o->bidder_released()) return Corrupt(e, "a bidder's release after one was accepted");
  o->set_bidder_attempts(o->bidder_attempts() + 1);
  o->set_bidder_released(k.accepted());
  if (k.accepted()) {
    o->set_bidder_release_seq(e.seq());
    o->set_bidder_release_sha256(k.material_sha256());
  }
  if (!k.accepted()) o->set_attempt_failure(k.reason());
  changes->bids.push_back(k.bid());
  return absl::OkStatus();
}

absl::Status ApplyCustodianRelease(const v1::Event& e, fold::Lot* lot) {
  const v1::KeyReleased& k = e.key_released();
  const auto& custodians = lot->spec().custodians();
  if (k.share_x() < 1 || k.share_x() > static_cast<uint32_t>(custodians.size()) ||
      custodians[k.share_x() - 1] != e.actor().fingerprint())
    return Corrupt(e, absl::StrCat("a release for share ", k.share_x(), " by another custodian"));
  v1::CustodianRelease* r = nullptr;
  for (v1::CustodianRelease& c : *lot->mutable_opening()->mutable_custodians())
    if (c.share_x() == k.share_x()) r = &c;
  if (r == nullptr) {
    r = lot->mutable_opening()->add_custodians();
    r->set_share_x(k.share_x());
    r->set_fingerprint(e.actor().fingerprint());
  }
  if (r->accepted()) return Corrupt(e, "a custodian's release after one was accepted");
  r->set_attempts(r->attempts() + 1);
  r->set_accepted(k.accepted());
  r->set_seq(e.seq());
  r->set_material_sha256(k.material_sha256());
  return absl::OkStatus();
}

std::string Utc(absl::Time t) {
  return absl::FormatTime(absl::RFC3339_full, t, absl::UTCTimeZone());
}

// A release is signed by its releaser and cites the signed head it saw
// before sending (its signatures need the CA and the log certificate:
// CheckReleaseSignature, run by `audit verify`). The head precedes the event:
// no larger than its seq, not timed after it (by more than the replicas'
// clock slack: a replica ahead may have signed it, a lagging one appended).
// Under BOTH a custodian's head is at or after the turn, and every bidder
// release of the lot comes before the size of each custodian's head: one
// appended after a custodian was shown a time past the turn was appended
// after the turn, whatever its time says. That holds only if the cited head
// is a head of this log (its root the log's root at its size; review 4 R1),
// which the fold cannot check: it has the events, not the tree. bidctl cites
// only heads it proved to be the log's (client/release_head.h) and `audit
// verify` checks every cited root (client/cited_heads.h).
absl::Status CheckCitedHead(const v1::Event& e, TenderState* s, fold::Lot* lot) {
  const v1::KeyReleased& k = e.key_released();
  if (k.signature().empty() || k.certificate_pem().empty() || k.seen_signature().empty())
    return Corrupt(e, "a release without its releaser's signature, certificate or cited head");
  absl::StatusOr<log::Checkpoint> seen = CitedHead(k);
  if (!seen.ok()) return Corrupt(e, seen.status().message());
  if (seen->size > e.seq() || seen->time > FromProto(e.time()) + kReplicaClockSlack)
    return Corrupt(
        e, absl::StrCat("cites a tree head of size ", seen->size, " timed ", Utc(seen->time),
                        ", which it cannot have seen before it was appended"));
  if (!s->tender.has_cited_time() || FromProto(s->tender.cited_time()) < seen->time)
    *s->tender.mutable_cited_time() = ToProto(seen->time);
  if (absl::Status st = CheckCitedHeadFits(s->tender, k.lot(), k.kind(), seen->time, seen->size);
      !st.ok())
    return Corrupt(e, absl::StrCat("a release citing a tree head of size ", seen->size, " timed ",
                                   Utc(seen->time), ": ", st.message()));
  if (lot->spec().policy() != v1::OPENING_POLICY_BOTH) return absl::OkStatus();
  if (k.kind() == v1::RELEASE_KIND_CUSTODIAN) {
    if (lot->last_bidder_release_seq() >= seen->size)
      return Corrupt(
          e, absl::StrCat("a custodian's release citing a tree head of size ", seen->size,
                          ", which a bidder's release (log #", lot->last_bidder_release_seq(),
                          ") followed: it was appended after the turn"));
    if (lot->custodians_seen_size() == 0 || seen->size < lot->custodians_seen_size())
      lot->set_custodians_seen_size(seen->size);
  }
  if (k.kind() == v1::RELEASE_KIND_BIDDER) {
    if (lot->custodians_seen_size() != 0 && e.seq() >= lot->custodians_seen_size())
      return Corrupt(e, absl::StrCat("a bidder's release appended after a custodian was shown "
                                     "the signed tree head of size ",
                                     lot->custodians_seen_size(),
                                     " past the turn: it was appended after the turn"));
    lot->set_last_bidder_release_seq(e.seq());
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyKeyReleased(const v1::Event& e, TenderState* s, Changes* changes) {
  const v1::KeyReleased& k = e.key_released();
  BO_ASSIGN_OR_RETURN(fold::Lot * lot, DecryptingLot(e, s, k.lot()));
  if (lot->opening().revealed() != lot->opening().bids())
    return Corrupt(e, "a release before every bid was revealed");
  BO_RETURN_IF_ERROR(CheckNoVerdictYet(e, *lot, "a release"));
  if (absl::Status st = CheckReleaseTime(s->tender, k.lot(), FromProto(e.time())); !st.ok())
    return Corrupt(e, st.message());
  if (absl::Status st = CheckReleasePhase(s->tender, k.lot(), k.kind(), FromProto(e.time()));
      !st.ok())
    return Corrupt(e, st.message());
  if (k.material_sha256().size() != 32) return Corrupt(e, "a release without its material's hash");
  BO_RETURN_IF_ERROR(CheckCitedHead(e, s, lot));
  if (lot->opening().first_release_seq() == 0)
    lot->mutable_opening()->set_first_release_seq(e.seq());
  switch (k.kind()) {
    case v1::RELEASE_KIND_BIDDER:
      return ApplyBidderRelease(e, s, *lot, changes);
    case v1::RELEASE_KIND_CUSTODIAN:
      return ApplyCustodianRelease(e, lot);
    default:
      return Corrupt(e, "a release of no known kind");
  }
}

namespace {

// Review 7 U4: a decryption attempt needs the key material the lot's policy
// asks for, as the log's accepted releases give it: the bidder's (BIDDER), k
// custodians' keys (QUORUM), either (ANY), or both (BOTH). Otherwise the
// operator, holding a colluding bidder's part off the log, could read every
// value and then log the bid opened, or not.
absl::Status CheckReleasesSuffice(const v1::Event& e, const fold::Lot& lot, const fold::Bid& bid) {
  const int accepted = AcceptedCustodianKeys(lot.opening());
  const bool quorum = accepted >= lot.spec().threshold() && lot.spec().threshold() > 0;
  const bool bidder = bid.opening().bidder_released();
  bool enough = false;
  switch (lot.spec().policy()) {
    case v1::OPENING_POLICY_BIDDER:
      enough = bidder;
      break;
    case v1::OPENING_POLICY_QUORUM:
      enough = quorum;
      break;
    case v1::OPENING_POLICY_UNSPECIFIED:  // as CheckVerdictAgainstReleases: ANY
    case v1::OPENING_POLICY_ANY:
      enough = bidder || quorum;
      break;
    case v1::OPENING_POLICY_BOTH:
      enough = bidder && quorum;
      break;
    default:
      break;
  }
  if (enough) return absl::OkStatus();
  return Corrupt(e, absl::StrCat("a decryption attempt of bid ", bid.seq(), " under policy ",
                                 PolicyName(lot.spec().policy()), " with ",
                                 bidder ? "the bidder's key" : "no accepted release of its bidder",
                                 " and ", accepted, " of the ", lot.spec().threshold(),
                                 " custodian keys it needs accepted in the log: the key "
                                 "material was not complete"));
}

}  // namespace

absl::Status ApplyBidDecrypted(const v1::Event& e, TenderState* s, Changes* changes) {
  const v1::BidDecrypted& d = e.bid_decrypted();
  BO_ASSIGN_OR_RETURN(fold::Lot * lot, DecryptingLot(e, s, d.lot()));
  BO_ASSIGN_OR_RETURN(fold::Bid * bid, RevealedBid(e, s, d.bid(), d.lot()));
  BO_RETURN_IF_ERROR(CheckNoVerdictYet(e, *lot, "a decryption attempt"));
  v1::BidOpening* o = bid->mutable_opening();
  if (o->opened()) return Corrupt(e, absl::StrCat("bid ", d.bid(), " decrypted twice"));
  if (!StoredFileMatches(*o))
    return Corrupt(e, absl::StrCat("a decryption attempt of bid ", d.bid(),
                                   ", whose stored file did not match at the start and was not "
                                   "put back"));
  BO_RETURN_IF_ERROR(CheckReleasesSuffice(e, *lot, *bid));
  if (d.opened() && !d.stored_sha256().empty())
    return Corrupt(e, absl::StrCat("a decryption attempt of bid ", d.bid(),
                                   " that opened and names the SHA-256 of a file that did not"));
  o->set_opened(d.opened());
  if (d.opened()) lot->mutable_opening()->set_opened(lot->opening().opened() + 1);
  if (!d.opened()) {
    o->set_attempt_failure(d.reason());
    o->set_read_failed_seq(e.seq());
    o->set_read_failed_sha256(d.stored_sha256());
  }
  changes->bids.push_back(d.bid());
  return absl::OkStatus();
}

}  // namespace bidopen::fold_internal
