// The fold of an opening with real sealed bids (fold_opening_test.cc,
// fold_opening_refusals_test.cc): a tender of one lot, bidders who seal and
// submit, and the opening's events as the server would append them, with
// verdicts made by the opening's own rules (JudgeReleases, ReadBid,
// DecideVerdict).
#ifndef BIDOPEN_TESTS_UNIT_FOLD_OPENING_FIXTURE_H_
#define BIDOPEN_TESTS_UNIT_FOLD_OPENING_FIXTURE_H_

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/bid/statement.h"
#include "core/crypto/sha256.h"
#include "core/event_clock.h"
#include "core/log/checkpoint.h"
#include "core/opening/fold.h"
#include "core/opening/opening_rules.h"
#include "core/opening/verdict_rules.h"
#include "core/seal/format.h"
#include "tests/unit/assertions.h"
#include "tests/unit/fold_events.h"
#include "tests/unit/opening_fixture.h"

namespace bidopen::opening_test {

inline constexpr char kTender[] = "T-7K2M9Q4XRB";
inline constexpr absl::StatusCode kLoss = absl::StatusCode::kDataLoss;
inline const absl::Time kStart = kOpening + absl::Minutes(1);
inline const absl::Time kWindowEnd = kStart + absl::Minutes(30);

struct Bidder {
  v1::Party party;
  crypto::X25519KeyPair keys;
  std::string nonce;
  SealedBid bid;
  std::string statement;  // as signed
  uint64_t seq = 0;       // of its BidSubmitted
};

class FoldOpeningTest : public ::testing::Test {
 protected:
  // A tender of one lot under `policy` (3 custodians, k = 2, the vectors'
  // form) with `count` bids, bidder i pricing 1000 + i.
  void Begin(v1::OpeningPolicy policy, int count,
             const std::function<void(v1::LotSpec*)>& tweak = nullptr) {
    lot_ = std::make_unique<OpeningLot>(policy, kTender);
    v1::LotSpec* spec = lot_->mutable_spec();
    spec->set_title("Road works");
    *spec->mutable_submission_deadline() = ToProto(kDeadline);
    *spec->mutable_opening_time() = ToProto(kOpening);
    if (tweak) tweak(spec);
    v1::Event created = EventOf(NextSeq(), kTender);
    created.mutable_tender_created()->set_title("Tender T-1");
    created.mutable_tender_created()->set_time_zone("Asia/Shanghai");
    *created.mutable_tender_created()->add_lots() = *spec;
    ASSERT_TRUE(Apply(created).ok());
    for (int i = 0; i < count; ++i) AddBidder(i);
  }

  // Bidder i submits a bid sealed for this lot (or for `sealed_for`'s), as
  // `tamper` says.
  void AddBidder(int i, const OpeningLot* sealed_for = nullptr, const Tamper& tamper = {}) {
    Bidder b;
    b.party = PartyOf(static_cast<char>('a' + i), absl::StrCat("Builder ", i + 1), v1::ROLE_BIDDER);
    b.keys = opening_test::NewPair();
    b.nonce = std::string(bid::kNonceSize, static_cast<char>('n' + i));
    b.bid = (sealed_for != nullptr ? sealed_for : lot_.get())
                ->Seal(b.party.fingerprint(), b.keys,
                       {{"price", absl::StrCat(1000 + i, ".00")}, {"duration_days", "90"}}, tamper);
    b.statement = bid::EncodeStatement(opening_test::StatementFor(
        b.bid, kTender, 1, b.party.fingerprint(), static_cast<uint8_t>(i)));
    v1::Event e = EventOf(NextSeq(), kTender);
    e.clear_actor();
    v1::BidSubmitted* s = e.mutable_bid_submitted();
    s->set_lot(1);
    s->set_bidder_commitment(bid::BidderCommitment(b.party.fingerprint(), b.nonce));
    s->set_statement_sha256(crypto::Sha256(b.statement));
    s->set_size(b.bid.file.size());
    s->set_statement_version(bid::kStatementVersion);
    b.seq = e.seq();
    ASSERT_TRUE(Apply(e).ok());
    bidders_.push_back(std::move(b));
  }

  uint64_t NextSeq() { return next_seq_++; }

  v1::Event At(absl::Time t, const v1::Party& actor = kAgency) {
    v1::Event e = EventOf(NextSeq(), kTender);
    *e.mutable_time() = ToProto(t);
    *e.mutable_actor() = actor;
    return e;
  }

  // Applies an event as the server does; an applied event joins the log.
  absl::Status Apply(const v1::Event& e) {
    absl::StatusOr<Changes> changes = ApplyEvent(e, {.tender = &state_});
    if (changes.ok()) log_.push_back(e);
    return changes.status();
  }

  // The lot's live bids, ascending.
  std::vector<uint64_t> Seqs() const {
    std::vector<uint64_t> out;
    for (const auto& [seq, bid] : state_.bids)
      if (bid.status() == v1::BID_STATUS_LIVE) out.push_back(seq);
    return out;
  }

  // The server's start at `t`: DecideStart with the live bids.
  v1::Event Start(absl::Time t = kStart) {
    auto start = DecideStart(state_.tender, 1, Seqs(), t, false);
    EXPECT_TRUE(start.ok()) << start.status();
    v1::Event e = At(t);
    if (start.ok()) *e.mutable_opening_started() = *start;
    return e;
  }

  v1::Event Reveal(const Bidder& b, absl::Time t = kStart) {
    v1::Event e = At(t);
    v1::BidRevealed* r = e.mutable_bid_revealed();
    r->set_lot(1);
    r->set_bid(b.seq);
    *r->mutable_bidder() = b.party;
    r->set_bidder_nonce(b.nonce);
    r->set_statement(b.statement);
    r->set_statement_signature("signature");  // checked with the CA: CheckRevealSignature
    r->set_bidder_certificate_pem("certificate");
    r->set_header(b.bid.header_bytes);
    r->set_stored_matches(true);  // the start's check: the stored file is the signed one
    return e;
  }

  // Starts the opening and reveals every bid.
  void Open() {
    ASSERT_TRUE(Apply(Start()).ok());
    for (const Bidder& b : bidders_) {
      const absl::Status st = Apply(Reveal(b));
      ASSERT_TRUE(st.ok()) << st;
    }
  }

  static std::string MaterialHash(absl::string_view bytes) {
    return seal::LabelledHash("bidopen/v2/released", {bytes});
  }

  // A release's signature and the head its releaser saw just before sending
  // (docs/protocol.md "Releasing"): the fold checks their shape, `audit
  // verify` the signatures (client/audit_opening.h CheckReleases). The head
  // is of size `size`, timed `seen`.
  static void Cite(v1::Event* e, uint64_t size, absl::Time seen) {
    v1::KeyReleased* k = e->mutable_key_released();
    log::Checkpoint c{.origin = "bidopen.test/log", .size = size, .root = {}, .time = seen};
    k->set_seen_checkpoint(log::FormatCheckpoint(c));
    k->set_seen_signature("the log key's signature");
    k->set_certificate_pem("the releaser's certificate");
    k->set_signature("the releaser's signature");
  }

  // A bidder's release at `t`, citing the head of the log before it, timed `t`.
  v1::Event BidderRelease(const Bidder& b, absl::Time t, bool accepted = true) {
    v1::Event e = At(t, b.party);
    v1::KeyReleased* k = e.mutable_key_released();
    k->set_lot(1);
    k->set_kind(v1::RELEASE_KIND_BIDDER);
    k->set_bid(b.seq);
    k->set_accepted(accepted);
    if (!accepted) k->set_reason("the bidder's released secret does not match secret_commitment");
    k->set_material_sha256(MaterialHash(b.bid.bidder_release));
    Cite(&e, e.seq(), t);
    return e;
  }

  v1::Event CustodianRelease(int i, absl::Time t, bool accepted = true) {
    v1::Party custodian = PartyOf('c', "Notary", v1::ROLE_CUSTODIAN);
    custodian.set_fingerprint(OpeningLot::CustodianFp(i));
    v1::Event e = At(t, custodian);
    v1::KeyReleased* k = e.mutable_key_released();
    k->set_lot(1);
    k->set_kind(v1::RELEASE_KIND_CUSTODIAN);
    k->set_share_x(static_cast<uint32_t>(i + 1));
    k->set_accepted(accepted);
    k->set_material_sha256(MaterialHash(absl::StrCat("per-lot private key of custodian ", i + 1)));
    Cite(&e, e.seq(), t);
    return e;
  }

  // The server's attempt to read bid `b` with what was released so far; one
  // that did not open names the SHA-256 of the file it read (the bid's).
  v1::Event Decrypted(const Bidder& b, absl::Time t, bool opened, std::string reason = "") {
    v1::Event e = At(t);
    v1::BidDecrypted* d = e.mutable_bid_decrypted();
    d->set_lot(1);
    d->set_bid(b.seq);
    d->set_opened(opened);
    d->set_reason(std::move(reason));
    if (!opened) d->set_stored_sha256(crypto::Sha256(b.bid.file));
    return e;
  }

  // The verdict rule's input for `b` judged with these releases, its stored
  // file matching at the start; nothing read yet.
  VerdictInput JudgedInput(const Bidder& b, const seal::Releases& releases) {
    auto j = seal::JudgeReleases(b.bid.header, lot_->lot_keys(), releases);
    EXPECT_TRUE(j.ok()) << j.status();
    VerdictInput in;
    in.lot = 1;
    in.bid = b.seq;
    in.matched_at_start = true;
    if (j.ok()) in.judgement = *j;
    return in;
  }

  // The verdict the opening's rules give for `b` with these releases.
  v1::BidVerdict VerdictFor(const Bidder& b, const seal::Releases& releases) {
    VerdictInput in = JudgedInput(b, releases);
    const seal::Judgement& j = in.judgement;
    if (j.verdict == seal::Verdict::kOk) {
      const auto read = opening_test::ReadWith(b.bid.file, j.secret.bytes(), lot_->spec());
      in.decrypt = {.tried = true,
                    .opened = read.opened,
                    .reason = read.reason,
                    .values = read.values,
                    .values_key = read.values_key};
      in.stored_file_matches = true;
      in.stored_sha256 = crypto::Sha256(b.bid.file);
    }
    return DecideVerdict(in);
  }

  static seal::Releases BidderReleases(const Bidder& b) {
    seal::Releases r;
    r.bidder_secret = crypto::Secret(b.bid.bidder_release);
    return r;
  }

  seal::Releases CustodianReleases(std::vector<int> which) const {
    seal::Releases r;
    for (int i : which)
      r.custodians.push_back({static_cast<uint32_t>(i + 1), OpeningLot::CustodianFp(i),
                              crypto::Secret(lot_->custodian_private(i))});
    return r;
  }

  v1::Event Verdict(const v1::BidVerdict& v, absl::Time t) {
    v1::Event e = At(t);
    *e.mutable_bid_verdict() = v;
    return e;
  }

  v1::Event Ended(absl::Time t, bool early) {
    const v1::LotOpening& o = state_.tender.lots(0).opening();
    v1::Event e = At(t);
    v1::DecryptionEnded* d = e.mutable_decryption_ended();
    d->set_lot(1);
    d->set_early(early);
    d->set_decrypted(o.decrypted());
    d->set_decrypt_failed(o.decrypt_failed());
    d->set_failure(TooFewBids(lot_->spec(), o.decrypted(), "bids decrypted"));
    return e;
  }

  const fold::Lot& Lot() const { return state_.tender.lots(0); }
  const fold::Bid& BidOf(const Bidder& b) const { return state_.bids.at(b.seq); }

  // The whole log folds from scratch to the state built event by event, and
  // so does the server's way: per event, the tender row and only the bid rows
  // BidsNamed names loaded, and only the rows Changes names written back.
  void ExpectReplayGivesTheState() {
    auto replay = FoldTender(log_);
    ASSERT_TRUE(replay.ok()) << replay.status();
    EXPECT_TRUE(testing::ProtoEquals(replay->tender, state_.tender));
    ASSERT_EQ(replay->bids.size(), state_.bids.size());
    for (const auto& [seq, bid] : state_.bids)
      EXPECT_TRUE(testing::ProtoEquals(replay->bids.at(seq), bid)) << seq;

    fold::Tender row;
    std::map<uint64_t, fold::Bid> bid_rows;
    std::map<std::string, uint64_t> statements;
    for (const v1::Event& e : log_) {
      TenderState loaded;
      loaded.tender = row;
      for (uint64_t seq : BidsNamed(e))
        if (bid_rows.contains(seq)) loaded.bids[seq] = bid_rows.at(seq);
      for (const std::string& hash : StatementsNamed(e))
        if (statements.contains(hash)) loaded.statements[hash] = statements.at(hash);
      auto changes = ApplyEvent(e, {.tender = &loaded});
      ASSERT_TRUE(changes.ok()) << changes.status();
      if (changes->tender) row = loaded.tender;
      for (uint64_t seq : changes->bids) bid_rows[seq] = loaded.bids.at(seq);
      for (const std::string& hash : changes->statements)
        statements[hash] = loaded.statements.at(hash);
    }
    EXPECT_TRUE(testing::ProtoEquals(row, state_.tender));
    ASSERT_EQ(bid_rows.size(), state_.bids.size());
    for (const auto& [seq, bid] : state_.bids)
      EXPECT_TRUE(testing::ProtoEquals(bid_rows.at(seq), bid)) << seq;
  }

  std::unique_ptr<OpeningLot> lot_;
  std::vector<Bidder> bidders_;
  TenderState state_;
  std::vector<v1::Event> log_;
  uint64_t next_seq_ = 0;
};

}  // namespace bidopen::opening_test

#endif  // BIDOPEN_TESTS_UNIT_FOLD_OPENING_FIXTURE_H_
