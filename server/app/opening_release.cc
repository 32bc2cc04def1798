// OpeningApp: releases. Each is checked against the bid's header (a bidder's
// secret against its commitment) or the lot's published key (a custodian's
// per-lot private key), recorded as an event holding only its hash, and stored
// sealed at rest in the same commit.
#include <iostream>
#include <optional>

#include "absl/strings/str_cat.h"
#include "core/crypto/signature.h"
#include "core/crypto/x25519.h"
#include "core/event_clock.h"
#include "core/log/checkpoint.h"
#include "core/opening/opening_rules.h"
#include "core/opening/release_signature.h"
#include "core/opening/tender_rules.h"
#include "core/opening/time_text.h"
#include "core/seal/format.h"
#include "core/seal/header.h"
#include "core/status_macros.h"
#include "server/app/opening_app.h"
#include "server/app/opening_internal.h"
#include "server/store/bid_store.h"
#include "server/store/log_state.h"

namespace bidopen::app {
namespace {

using opening_internal::CheckLotRef;

absl::Status CheckSize(absl::string_view field, absl::string_view bytes, absl::string_view what) {
  if (bytes.size() == 32) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": ", what, " is 32 bytes, got ", bytes.size()));
}

// How old a signed head a release may cite (the client fetches one just
// before sending; retries over a lost connection may take a while).
constexpr absl::Duration kMaxSeenAge = absl::Minutes(5);

// The head the caller cites was signed by this server's log key.
// INVALID_ARGUMENT naming the field otherwise.
absl::StatusOr<log::Checkpoint> CheckSeenSigned(const audit::HeadSigner& signer,
                                                absl::string_view checkpoint,
                                                absl::string_view signature) {
  if (checkpoint.empty() || signature.empty())
    return absl::InvalidArgumentError(
        "seen_checkpoint, seen_signature: missing; a release cites the signed tree head its "
        "client verified just before sending (GetOpening's `now`)");
  if (!crypto::VerifySignature(signer.cert_pem(), checkpoint, signature).ok())
    return absl::InvalidArgumentError(
        "seen_signature: does not verify with this server's log key over seen_checkpoint");
  absl::StatusOr<log::Checkpoint> c = log::ParseCheckpoint(checkpoint);
  if (!c.ok() || c->origin != signer.origin())
    return absl::InvalidArgumentError("seen_checkpoint: not a checkpoint of this log");
  return c;
}

// Not from the future (a size or time this log has not reached), not older
// than kMaxSeenAge.
absl::Status CheckSeenFresh(const log::Checkpoint& seen, absl::Time now, uint64_t size) {
  // A head another replica signed may be timed ahead of this one's clock by
  // up to the replicas' slack (the fold allows the same).
  if (seen.size > size || seen.time > now + kReplicaClockSlack)
    return absl::InvalidArgumentError(
        absl::StrCat("seen_checkpoint: a head of size ", seen.size, " timed ",
                     TimeText(seen.time, absl::UTCTimeZone()), ", past this log (size ", size,
                     ", time ", TimeText(now, absl::UTCTimeZone()), ")"));
  if (now - seen.time > kMaxSeenAge)
    return absl::FailedPreconditionError(absl::StrCat(
        "seen_checkpoint: the signed head you cite is ", DurationText(now - seen.time),
        " old (at most ", DurationText(kMaxSeenAge), "); fetch the opening again and re-sign"));
  return absl::OkStatus();
}

// What a release appends and stores.
struct Release {
  v1::KeyReleased event;
  absl::string_view material;
};

v1::ReleaseResult Already(absl::string_view what) {
  v1::ReleaseResult out;
  out.set_accepted(true);
  out.set_already(true);
  out.set_message(absl::StrCat(what, " was released and accepted before; nothing new recorded"));
  return out;
}

// Re-supply (review 3 F8; docs/protocol.md "Lost releases"): the caller's
// release the log accepted, with this very material (its hash is the
// event's material_sha256), whose stored copy is missing or altered. Storing
// it again appends nothing and changes no verdict: it only gives the opener
// back the bytes the log already committed to, which it needs before it gives
// the lot's verdicts. Also after the window, while the verdicts wait.
struct Resupply {
  store::ReleaseRow row;
};

absl::StatusOr<std::optional<Resupply>> LostOwnRelease(store::Conn& conn, const TenderState& state,
                                                       const v1::Party& releaser, int lot,
                                                       v1::ReleaseKind kind,
                                                       absl::string_view material,
                                                       const opening::AtRestKey& key) {
  const std::string sha256 = ReleasedHash(material);
  store::ReleaseRow row;
  row.tender_id = state.tender.id();
  row.lot = lot;
  row.kind = kind;
  row.releaser = releaser.fingerprint();
  row.accepted = true;
  if (kind == v1::RELEASE_KIND_BIDDER) {
    for (const auto& [seq, bid] : state.bids)
      if (bid.lot() == lot && bid.has_opening() && bid.opening().bidder_released() &&
          bid.opening().bidder().fingerprint() == releaser.fingerprint() &&
          bid.opening().bidder_release_sha256() == sha256) {
        row.seq = bid.opening().bidder_release_seq();
        row.bid = seq;
      }
  } else if (lot >= 1 && lot <= state.tender.lots_size()) {
    for (const v1::CustodianRelease& c : state.tender.lots(lot - 1).opening().custodians())
      if (c.accepted() && c.fingerprint() == releaser.fingerprint() &&
          c.material_sha256() == sha256) {
        row.seq = c.seq();
        row.share_x = c.share_x();
      }
  }
  if (row.seq == 0) return std::nullopt;  // no such accepted release: the usual path
  BO_ASSIGN_OR_RETURN(std::vector<std::string> copies, store::SealedReleasesAt(conn, row.seq));
  for (const std::string& sealed : copies) {
    absl::StatusOr<std::string> bytes = key.Open(opening::kReleaseLabel, row.seq, sealed);
    if (bytes.ok() && ReleasedHash(*bytes) == sha256) return std::nullopt;  // stored: nothing lost
  }
  BO_ASSIGN_OR_RETURN(row.sealed, key.Seal(opening::kReleaseLabel, row.seq, material));
  return Resupply{std::move(row)};
}

}  // namespace

// Stores a re-supplied release (its own commit: nothing is appended).
absl::StatusOr<v1::ReleaseResult> OpeningApp::StoreResupplied(const store::ReleaseRow& row) {
  BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_.Acquire());
  BO_RETURN_IF_ERROR(store::InsertRelease(*conn, row).status());
  std::cerr << "bidopend: release #" << row.seq << " (tender " << row.tender_id << ", lot "
            << row.lot << ") re-supplied by " << row.releaser.substr(0, 16)
            << "...: its stored copy was missing or altered; stored again\n";
  v1::ReleaseResult out;
  out.set_accepted(true);
  out.set_already(true);
  out.set_seq(row.seq);
  out.set_message(
      absl::StrCat("re-supplied: the server's stored copy of your release #", row.seq,
                   " (accepted before) was missing or altered; what you sent hashes to the logged "
                   "material_sha256 and is stored again; nothing new recorded in the log"));
  return out;
}

namespace {

absl::StatusOr<v1::ReleaseResult> Record(store::CommandTx& tx, TenderState& state,
                                         const v1::Party& actor, const Release& r,
                                         const opening::AtRestKey& key) {
  v1::Event draft;
  *draft.mutable_actor() = actor;
  draft.set_tender_id(state.tender.id());
  *draft.mutable_key_released() = r.event;
  BO_ASSIGN_OR_RETURN(v1::Event event, tx.Append(std::move(draft), &state));
  store::ReleaseRow row;
  row.seq = event.seq();
  row.tender_id = state.tender.id();
  row.lot = r.event.lot();
  row.kind = r.event.kind();
  row.bid = r.event.bid();
  row.share_x = r.event.share_x();
  row.releaser = actor.fingerprint();
  row.accepted = r.event.accepted();
  BO_ASSIGN_OR_RETURN(row.sealed, key.Seal(opening::kReleaseLabel, event.seq(), r.material));
  BO_ASSIGN_OR_RETURN(int before, store::InsertRelease(tx.conn(), row));
  if (before > 0)  // review 3 F9: stored next to it, so the release still goes through
    std::cerr << "bidopend: ALARM: " << before << " row(s) of the releases table were at seq "
              << event.seq() << " before its KeyReleased event was appended (tender "
              << row.tender_id << ", lot " << row.lot
              << "): someone with the database's application role writes release rows ahead of "
                 "the log; the release is stored next to them and logged\n";
  v1::ReleaseResult out;
  out.set_accepted(r.event.accepted());
  out.set_seq(event.seq());
  out.set_message(r.event.accepted()
                      ? "accepted: it matches the sealed header; the server decrypts as soon as "
                        "the key material is complete"
                      : absl::StrCat("not accepted (recorded as your failed attempt; you may "
                                     "release again inside the window): ",
                                     r.event.reason()));
  return out;
}

// The caller's bid revealed at the opening of the lot, by the fold of the log
// (the bidder the reveal named, not the bids table nor a query row);
// PERMISSION_DENIED if none.
absl::StatusOr<const fold::Bid*> CallersBid(const TenderState& state, const v1::Party& bidder,
                                            int lot) {
  if (const fold::Bid* bid = opening_internal::RevealedBidOf(state, lot, bidder)) return bid;
  return absl::PermissionDeniedError(
      absl::StrCat("you (", bidder.organization(), ") have no bid revealed at the opening of lot ",
                   lot, " of tender ", state.tender.id(),
                   ": only a bidder whose bid was live at the start releases a key for it"));
}

}  // namespace

absl::StatusOr<v1::ReleaseResult> OpeningApp::ReleaseBidder(const v1::Party& bidder,
                                                            absl::string_view cert_pem,
                                                            const v1::ReleaseKeyRequest& req) {
  BO_RETURN_IF_ERROR(CheckLotRef(req.lot()));
  BO_RETURN_IF_ERROR(CheckSize("secret", req.secret(), "the bid secret (s, or s_b under BOTH)"));
  v1::KeyReleased claim;
  claim.set_lot(req.lot().lot());
  claim.set_kind(v1::RELEASE_KIND_BIDDER);
  claim.set_bid(req.bid());
  claim.set_material_sha256(ReleasedHash(req.secret()));
  claim.set_seen_checkpoint(req.seen_checkpoint());
  BO_RETURN_IF_ERROR(CheckCallerReleaseSignature(cert_pem, req.lot().tender_id(), claim,
                                                 req.signature(), "signature"));
  BO_ASSIGN_OR_RETURN(log::Checkpoint seen, CheckSeenSigned(audit_.signer(), req.seen_checkpoint(),
                                                            req.seen_signature()));
  v1::ReleaseResult out;
  std::optional<Resupply> again;
  BO_RETURN_IF_ERROR(log_.Run([&](store::CommandTx& tx) -> absl::Status {
    const int n = req.lot().lot();
    BO_ASSIGN_OR_RETURN(TenderState state,
                        store::FoldTenderFromLog(tx.conn(), req.lot().tender_id()));
    BO_ASSIGN_OR_RETURN(const fold::Lot* lot, FindLot(state.tender, n));
    BO_ASSIGN_OR_RETURN(again, LostOwnRelease(tx.conn(), state, bidder, n, v1::RELEASE_KIND_BIDDER,
                                              req.secret(), key_));
    if (again) return absl::OkStatus();  // stored below, in its own commit
    BO_RETURN_IF_ERROR(CheckReleaseTime(state.tender, n, tx.now()));
    BO_RETURN_IF_ERROR(CheckReleasePhase(state.tender, n, v1::RELEASE_KIND_BIDDER, tx.now()));
    BO_RETURN_IF_ERROR(CheckSeenFresh(seen, tx.now(), tx.size()));
    BO_RETURN_IF_ERROR(
        CheckCitedHeadFits(state.tender, n, v1::RELEASE_KIND_BIDDER, seen.time, seen.size));
    if (lot->spec().policy() == v1::OPENING_POLICY_QUORUM)
      return absl::FailedPreconditionError(
          absl::StrCat("lot ", n, "'s opening policy is QUORUM: only its custodians release keys"));
    BO_ASSIGN_OR_RETURN(const fold::Bid* bid, CallersBid(state, bidder, n));
    if (bid->opening().bidder_released()) {
      out = Already(absl::StrCat("your key for bid ", bid->seq()));
      return absl::OkStatus();
    }
    if (req.bid() != bid->seq())
      return absl::InvalidArgumentError(absl::StrCat("bid: ", req.bid(),
                                                     "; your bid revealed in lot ", n, " is #",
                                                     bid->seq(), " (sign a release for it)"));
    BO_ASSIGN_OR_RETURN(v1::SealedHeader header, seal::DecodeHeader(bid->header()));
    const absl::Status match = seal::CheckBidderSecret(header, req.secret());
    Release r;
    r.material = req.secret();
    r.event = claim;
    r.event.set_accepted(match.ok());
    r.event.set_reason(std::string(match.message()));
    r.event.set_signature(req.signature());
    r.event.set_certificate_pem(std::string(cert_pem));
    r.event.set_seen_signature(req.seen_signature());
    BO_ASSIGN_OR_RETURN(out, Record(tx, state, bidder, r, key_));
    return absl::OkStatus();
  }));
  if (again) {
    BO_ASSIGN_OR_RETURN(out, StoreResupplied(again->row));
  }
  BO_ASSIGN_OR_RETURN(*out.mutable_status(), Status(req.lot()));
  return out;
}

absl::StatusOr<v1::ReleaseResult> OpeningApp::ReleaseCustodian(
    const v1::Party& custodian, absl::string_view cert_pem, const v1::ReleaseLotKeyRequest& req) {
  BO_RETURN_IF_ERROR(CheckLotRef(req.lot()));
  BO_RETURN_IF_ERROR(CheckSize("private_key", req.private_key(), "an X25519 private key"));
  v1::KeyReleased claim;
  claim.set_lot(req.lot().lot());
  claim.set_kind(v1::RELEASE_KIND_CUSTODIAN);
  claim.set_share_x(req.share_x());
  claim.set_material_sha256(ReleasedHash(req.private_key()));
  claim.set_seen_checkpoint(req.seen_checkpoint());
  BO_RETURN_IF_ERROR(CheckCallerReleaseSignature(cert_pem, req.lot().tender_id(), claim,
                                                 req.signature(), "signature"));
  BO_ASSIGN_OR_RETURN(log::Checkpoint seen, CheckSeenSigned(audit_.signer(), req.seen_checkpoint(),
                                                            req.seen_signature()));
  v1::ReleaseResult out;
  std::optional<Resupply> again;
  BO_RETURN_IF_ERROR(log_.Run([&](store::CommandTx& tx) -> absl::Status {
    const int n = req.lot().lot();
    BO_ASSIGN_OR_RETURN(TenderState state,
                        store::FoldTenderFromLog(tx.conn(), req.lot().tender_id()));
    BO_ASSIGN_OR_RETURN(const fold::Lot* lot, FindLot(state.tender, n));
    BO_ASSIGN_OR_RETURN(again, LostOwnRelease(tx.conn(), state, custodian, n,
                                              v1::RELEASE_KIND_CUSTODIAN, req.private_key(), key_));
    if (again) return absl::OkStatus();  // stored below, in its own commit
    BO_RETURN_IF_ERROR(CheckReleaseTime(state.tender, n, tx.now()));
    const auto& custodians = lot->spec().custodians();
    auto it = std::find(custodians.begin(), custodians.end(), custodian.fingerprint());
    if (it == custodians.end())
      return absl::PermissionDeniedError(absl::StrCat(
          "you (", custodian.organization(), ", ", custodian.fingerprint().substr(0, 16),
          "...) are not a custodian of lot ", n, " of tender ", state.tender.id()));
    const uint32_t x = static_cast<uint32_t>(it - custodians.begin()) + 1;
    BO_RETURN_IF_ERROR(CheckReleasePhase(state.tender, n, v1::RELEASE_KIND_CUSTODIAN, tx.now()));
    BO_RETURN_IF_ERROR(CheckSeenFresh(seen, tx.now(), tx.size()));
    if (req.share_x() != x)
      return absl::InvalidArgumentError(absl::StrCat("share_x: ", req.share_x(),
                                                     "; you are custodian ", x, " of lot ", n,
                                                     " (sign a release for that share)"));
    BO_RETURN_IF_ERROR(
        CheckCitedHeadFits(state.tender, n, v1::RELEASE_KIND_CUSTODIAN, seen.time, seen.size));
    for (const v1::CustodianRelease& c : lot->opening().custodians())
      if (c.share_x() == x && c.accepted()) {
        out = Already(absl::StrCat("your per-lot key for lot ", n));
        return absl::OkStatus();
      }
    if (lot->spec().custodian_keys_size() < static_cast<int>(x))
      return absl::FailedPreconditionError(
          absl::StrCat("lot ", n, " has no per-lot key for custodian ", x));
    BO_ASSIGN_OR_RETURN(std::string pub, crypto::X25519PublicFromPrivate(req.private_key()));
    const bool match = seal::SecretEquals(pub, lot->spec().custodian_keys(x - 1));
    Release r;
    r.material = req.private_key();
    r.event = claim;
    r.event.set_signature(req.signature());
    r.event.set_certificate_pem(std::string(cert_pem));
    r.event.set_seen_signature(req.seen_signature());
    r.event.set_accepted(match);
    if (!match)
      r.event.set_reason(absl::StrCat("custodian ", x,
                                      "'s private key is not the one of its "
                                      "published per-lot key for this lot"));
    BO_ASSIGN_OR_RETURN(out, Record(tx, state, custodian, r, key_));
    return absl::OkStatus();
  }));
  if (again) {
    BO_ASSIGN_OR_RETURN(out, StoreResupplied(again->row));
  }
  BO_ASSIGN_OR_RETURN(*out.mutable_status(), Status(req.lot()));
  return out;
}

}  // namespace bidopen::app
