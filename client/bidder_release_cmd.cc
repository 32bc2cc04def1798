// bidctl opening decrypt T/L [--at-open]: the bidder releases its bid's
// secret (s, or s_b under BOTH), unwrapped on its own machine, once the
// server's signed time is past the opening time and the opening started.
#include <iostream>
#include <optional>

#include "absl/strings/str_cat.h"
#include "client/bidder_secret.h"
#include "client/command.h"
#include "client/local_identity.h"
#include "client/opening_text.h"
#include "client/release_sign.h"
#include "client/release_wait.h"
#include "client/resupply.h"
#include "client/verified_lot.h"
#include "core/crypto/sha256.h"
#include "core/opening/lot_rules.h"
#include "core/opening/roles.h"
#include "core/opening/time_text.h"
#include "core/seal/header.h"
#include "core/status_macros.h"
#include "platform/files.h"

namespace bidopen::client {
namespace {

struct DecryptFlags {
  LotFlags lot;
  bool at_open = false;
  std::string sealed;  // --sealed: the file to put back if the start found it altered
};

struct MyHeader {
  uint64_t bid = 0;
  std::string bytes;  // the header as GetMyBid returned it
  v1::SealedHeader header;
};

// GetMyBid, its header decoded and checked to be for this lot.
absl::StatusOr<MyHeader> FetchMyHeader(const Session& s, const LotName& lot) {
  auto stub = v1::OpeningService::NewStub(s.channel);
  v1::MyBid mine;
  BO_RETURN_IF_ERROR(s.Check(stub->GetMyBid(CallContext().get(), ToRef(lot), &mine)));
  auto header = seal::DecodeHeader(mine.header());
  if (!header.ok())
    return absl::DataLossError(absl::StrCat("the server's copy of the header of your bid #",
                                            mine.bid(),
                                            " does not decode: ", header.status().message()));
  if (header->tender_id() != lot.tender_id || header->lot() != lot.lot)
    return absl::DataLossError(absl::StrCat("the server answered with a header for lot ",
                                            header->lot(), " of tender ", header->tender_id(),
                                            ", not lot ", lot.lot, " of ", lot.tender_id));
  return MyHeader{mine.bid(), mine.header(), *std::move(header)};
}

// Early, to say at once that there is nothing to wait for; an answer other
// than NOT_FOUND or PERMISSION_DENIED is asked again after the wait.
absl::StatusOr<std::optional<MyHeader>> EarlyHeader(const Session& s, const LotName& lot) {
  auto h = FetchMyHeader(s, lot);
  if (h.ok()) return std::optional<MyHeader>(*std::move(h));
  if (absl::IsNotFound(h.status()) || absl::IsPermissionDenied(h.status()) ||
      absl::IsDataLoss(h.status()))
    return h.status();
  return std::optional<MyHeader>();
}

// Signed with the identity key, citing `seen` (the gate's head, proved one
// history with the verified log: release_head.h).
absl::StatusOr<v1::ReleaseResult> Send(Session& s, const LotName& lot, uint64_t bid,
                                       const crypto::Secret& secret, const v1::SignedTreeHead& seen,
                                       bool wait) {
  BO_ASSIGN_OR_RETURN(SignedRelease signed_release,
                      SignReleaseWithKeyFile(s.profile.key, lot, v1::RELEASE_KIND_BIDDER, bid, 0,
                                             secret.bytes(), seen));
  v1::ReleaseKeyRequest req;
  *req.mutable_lot() = ToRef(lot);
  req.set_secret(secret.bytes());
  req.set_bid(bid);
  req.set_seen_checkpoint(signed_release.seen_checkpoint);
  req.set_seen_signature(signed_release.seen_signature);
  req.set_signature(signed_release.signature);
  v1::ReleaseResult result;
  BO_RETURN_IF_ERROR(RetryTransient(s, wait, [&] {
    auto stub = v1::OpeningService::NewStub(s.channel);
    return s.Check(stub->ReleaseKey(CallContext().get(), req, &result));
  }));
  return result;
}

absl::Status Report(const Globals& g, const MyHeader& mine, const BidderSecret& found,
                    const v1::ReleaseResult& r) {
  if (g.json) {
    PrintJson(r);
  } else {
    std::cout << "Unwrapped with " << found.source << " and checked against the header\n";
    PrintReleaseResult(std::cout, r, absl::StrCat("the secret of your bid #", mine.bid));
  }
  if (r.accepted()) return absl::OkStatus();
  return absl::DataLossError(absl::StrCat(
      "the server did not accept the secret of bid #", mine.bid, ": ", r.message(),
      " (it matched the header's commitment here; you may try again inside the window)"));
}

// Review 4 R5: when the opening's start found the stored file altered, the
// release alone does not open the bid. With --sealed, put the file back;
// otherwise say so, and how (on stderr under --json, so the JSON stays one
// document). Decided by the verified log, never the server's unsigned word
// (review 7 U3). False while the verified log does not show the start yet
// (the server's unsigned status may say it started: review 8 V2); true once
// answered. An error only if the log could not be verified or putting the
// file back was tried and failed.
absl::StatusOr<bool> AnswerAlteredFile(const Globals& g, const Session& s, const LotName& lot,
                                       const std::string& sealed, const std::string& fingerprint) {
  BO_ASSIGN_OR_RETURN(VerifiedLot verified, FetchVerifiedLot(g, s, lot));
  if (!verified.lot.opening().has_started() ||
      verified.lot.opening().revealed() < verified.lot.opening().bids())
    return false;
  absl::StatusOr<const v1::BidEntry*> altered = AlteredBidOf(verified.lot, fingerprint);
  if (!altered.ok()) return true;  // nothing to put back
  const v1::BidEntry& mine = **altered;
  std::ostream& out = g.json ? std::cerr : std::cout;
  const std::string name = absl::StrCat(lot.tender_id, "/", lot.lot);
  if (!sealed.empty()) {
    absl::StatusOr<v1::ResupplyResult> r = ResupplySealedFile(s, lot, mine.seq(), sealed);
    if (r.ok()) return PrintResupplied(out, *r, mine.seq()), true;
    std::cerr << "error: putting back " << sealed << " failed: " << r.status() << "\n";
    return r.status();
  }
  const v1::BidOpening& o = mine.opening();
  out << "WARNING: when the opening started, the server found the stored copy of your bid #"
      << mine.seq() << " altered (SHA-256 "
      << (o.stored_sha256_at_start().empty() ? std::string("unreadable")
                                             : crypto::Hex(o.stored_sha256_at_start()))
      << ", not the one you signed). Put your sealed file back before "
      << TimeText(verified.lot.opening().resupply_end(), ZoneOrUtc(verified.time_zone))
      << ", when keys begin to be released: bidctl opening resupply " << name
      << " --file SEALED (or opening decrypt --sealed SEALED); otherwise your bid fails as the "
         "platform's fault (treated as withdrawn)\n";
  return true;
}

absl::Status NothingToRelease(const MyHeader& mine) {
  std::cout << "Policy QUORUM: your bid #" << mine.bid
            << " opens with the custodians' keys; you have nothing to release\n";
  return absl::OkStatus();
}

// The lot as its verified log folds it (its policy, its revealed bids), never
// GetMyBid's header alone (review 4 R6).
absl::StatusOr<VerifiedLot> LotByTheLog(const Globals& g, Session& s, const LotName& lot,
                                        bool wait) {
  absl::StatusOr<VerifiedLot> v;
  BO_RETURN_IF_ERROR(RetryTransient(s, wait, [&] {
    v = FetchVerifiedLot(g, s, lot);
    return v.status();
  }));
  return v;
}

absl::Status Decrypt(const Globals& g, const DecryptFlags& f) {
  BO_ASSIGN_OR_RETURN(LotName lot, ParseLotName(f.lot.lot, f.lot.lot_flag));
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  BO_ASSIGN_OR_RETURN(v1::Party me, LocalParty(s.profile));
  if (me.role() != v1::ROLE_BIDDER)
    return absl::PermissionDeniedError(absl::StrCat("bidders release their bid's key; --cert is ",
                                                    RoleName(me.role()), " ", me.common_name(),
                                                    " (custodians: bidctl custody release)"));
  BO_ASSIGN_OR_RETURN(std::string ca, ReadFileBytes(s.profile.ca, "--ca"));
  BO_ASSIGN_OR_RETURN(std::optional<MyHeader> early, EarlyHeader(s, lot));
  // Under QUORUM there is nothing to release, but a file to put back with
  // --sealed (review 8 V3): that waits for the start like a release.
  if (early && f.sealed.empty()) {
    BO_ASSIGN_OR_RETURN(VerifiedLot logged, LotByTheLog(g, s, lot, f.at_open));
    if (logged.lot.spec().policy() == v1::OPENING_POLICY_QUORUM) return NothingToRelease(*early);
  }
  // A file the start found altered is put back as soon as the verified log
  // shows the start, in the re-supply period: no key is released before it
  // ends, and after it the file no longer may be put back (review 6 T1).
  absl::Status restored = absl::OkStatus();
  bool answered = false;
  auto answer = [&] {
    absl::StatusOr<bool> done = AnswerAlteredFile(g, s, lot, f.sealed, me.fingerprint());
    if (!done.ok() && Transient(done.status())) return false;  // asked again on the next poll
    if (!done.ok()) restored = done.status();
    answered = !done.ok() || *done;
    return answered;
  };
  WaitParams wait{lot, ca, f.at_open, g.json, v1::RELEASE_KIND_BIDDER, nullptr, &g, nullptr};
  wait.on_started = [&](const OpeningView&) { return answer(); };
  BO_ASSIGN_OR_RETURN(OpeningView ready, WaitForRelease(s, wait));
  if (!answered) answer();
  MyHeader mine;
  if (early) {
    mine = *std::move(early);
  } else {
    BO_RETURN_IF_ERROR(RetryTransient(s, f.at_open, [&] {
      auto h = FetchMyHeader(s, lot);
      if (h.ok()) mine = *std::move(h);
      return h.status();
    }));
  }
  // The policy and the bid are the verified log's: the header GetMyBid gave
  // must be the one the log revealed for this bidder in this lot.
  BO_ASSIGN_OR_RETURN(VerifiedLot logged, LotByTheLog(g, s, lot, f.at_open));
  if (logged.lot.spec().policy() == v1::OPENING_POLICY_QUORUM) {
    BO_RETURN_IF_ERROR(NothingToRelease(mine));
    return restored;
  }
  BO_RETURN_IF_ERROR(CheckMyRevealedBid(logged, lot, me.fingerprint(), mine.bid, mine.bytes));
  BO_ASSIGN_OR_RETURN(BidderSecret found, FindBidderSecret(mine.header, me.fingerprint()));
  BO_ASSIGN_OR_RETURN(v1::ReleaseResult r,
                      Send(s, lot, mine.bid, found.secret, ready.cited, f.at_open));
  absl::Status reported = Report(g, mine, found, r);
  return reported.ok() ? restored : reported;
}

}  // namespace

void AddOpeningDecryptCommand(CLI::App& opening, Globals& g, Action& action) {
  auto f = std::make_shared<DecryptFlags>();
  auto* d = opening.add_subcommand(
      "decrypt",
      "Bidder: unwrap your bid's secret on this machine and release it, once the server's signed "
      "time and this computer's clock are past the opening time and the opening started (under "
      "policy BOTH: in the first half of the window)");
  AddLotArgument(*d, f->lot);
  d->add_flag("--at-open", f->at_open,
              "Stay connected, count down to the opening time and release as soon as it may be");
  d->add_option("--sealed", f->sealed,
                "Your sealed bid file: if the opening's start found the server's copy altered, "
                "put it back (as opening resupply does) before releasing");
  d->callback([&g, &action, f] { action = [&g, f] { return Decrypt(g, *f); }; });
}

}  // namespace bidopen::client
