// The opening folded from its events (core/opening/fold_opening.cc) with real
// sealed bids: the start with every bid revealed, releases, decryption
// attempts, verdicts made by the opening's own rules (JudgeReleases, ReadBid,
// DecideVerdict) and the end; and DATA_LOSS, naming the event and what is
// wrong, for every event a log of an honest server cannot hold.
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
#include "core/opening/fold.h"
#include "core/opening/opening_rules.h"
#include "core/opening/verdict_rules.h"
#include "core/seal/format.h"
#include "tests/unit/assertions.h"
#include "tests/unit/fold_events.h"
#include "tests/unit/opening_fixture.h"

namespace bidopen {
namespace {

using ::bidopen::testing::StatusIs;
using opening_test::OpeningLot;
using opening_test::SealedBid;

constexpr char kTender[] = "T-7K2M9Q4XRB";
constexpr absl::StatusCode kLoss = absl::StatusCode::kDataLoss;
const absl::Time kStart = kOpening + absl::Minutes(1);
const absl::Time kWindowEnd = kStart + absl::Minutes(30);

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

  // Bidder i submits a bid sealed for this lot (or for `sealed_for`'s).
  void AddBidder(int i, const OpeningLot* sealed_for = nullptr) {
    Bidder b;
    b.party = PartyOf(static_cast<char>('a' + i), absl::StrCat("Builder ", i + 1), v1::ROLE_BIDDER);
    b.keys = opening_test::NewPair();
    b.nonce = std::string(bid::kNonceSize, static_cast<char>('n' + i));
    b.bid = (sealed_for != nullptr ? sealed_for : lot_.get())
                ->Seal(b.party.fingerprint(), b.keys,
                       {{"price", absl::StrCat(1000 + i, ".00")}, {"duration_days", "90"}});
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

  v1::Event BidderRelease(const Bidder& b, absl::Time t, bool accepted = true) {
    v1::Event e = At(t, b.party);
    v1::KeyReleased* k = e.mutable_key_released();
    k->set_lot(1);
    k->set_kind(v1::RELEASE_KIND_BIDDER);
    k->set_bid(b.seq);
    k->set_accepted(accepted);
    if (!accepted) k->set_reason("the bidder's released secret does not match secret_commitment");
    k->set_material_sha256(MaterialHash(b.bid.bidder_release));
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
    return e;
  }

  // The server's attempt to read bid `b` with what was released so far.
  v1::Event Decrypted(const Bidder& b, absl::Time t, bool opened, std::string reason = "") {
    v1::Event e = At(t);
    v1::BidDecrypted* d = e.mutable_bid_decrypted();
    d->set_lot(1);
    d->set_bid(b.seq);
    d->set_opened(opened);
    d->set_reason(std::move(reason));
    return e;
  }

  // The verdict the opening's rules give for `b` with these releases.
  v1::BidVerdict VerdictFor(const Bidder& b, const seal::Releases& releases) {
    auto j = seal::JudgeReleases(b.bid.header, lot_->lot_keys(), releases);
    EXPECT_TRUE(j.ok()) << j.status();
    VerdictInput in;
    in.lot = 1;
    in.bid = b.seq;
    if (j.ok()) in.judgement = *j;
    if (j.ok() && j->verdict == seal::Verdict::kOk) {
      const auto read = opening_test::ReadWith(b.bid.file, j->secret.bytes(), lot_->spec());
      in.decrypt = {.tried = true,
                    .opened = read.opened,
                    .reason = read.reason,
                    .values = read.values,
                    .values_key = read.values_key};
      in.stored_file_matches = true;
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

TEST_F(FoldOpeningTest, ABidderLotOpensEndsEarlyOnceEveryBidOpenedAndAnnounces) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  ASSERT_TRUE(Apply(Start()).ok());
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_DECRYPTING);
  EXPECT_EQ(Lot().opening().bids(), 3u);
  EXPECT_EQ(FromProto(Lot().opening().window_end()), kWindowEnd);
  EXPECT_EQ(Lot().opening().started_by().fingerprint(), kAgency.fingerprint());
  for (const Bidder& b : bidders_) ASSERT_TRUE(Apply(Reveal(b)).ok());
  EXPECT_EQ(Lot().opening().revealed(), 3u);
  const Bidder& first = bidders_[0];
  EXPECT_EQ(BidOf(first).opening().bidder().organization(), "Builder 1");
  EXPECT_EQ(BidOf(first).header(), first.bid.header_bytes);
  EXPECT_EQ(BidOf(first).header_hash(), seal::HeaderHash(first.bid.header_bytes));
  EXPECT_EQ(BidOf(first).ciphertext_sha256(), crypto::Sha256(first.bid.file));

  absl::Time t = kStart + absl::Minutes(2);
  for (const Bidder& b : bidders_) {
    ASSERT_TRUE(Apply(BidderRelease(b, t)).ok());
    EXPECT_TRUE(BidOf(b).opening().bidder_released());
    ASSERT_TRUE(Apply(Decrypted(b, t, true)).ok());
    t += absl::Seconds(20);
  }
  EXPECT_EQ(Lot().opening().opened(), 3u);
  for (const Bidder& b : bidders_) {
    const v1::BidVerdict v = VerdictFor(b, BidderReleases(b));
    ASSERT_EQ(v.status(), v1::BID_STATUS_DECRYPTED) << v.reason();
    ASSERT_TRUE(Apply(Verdict(v, t)).ok());
  }
  ASSERT_TRUE(Apply(Ended(t, /*early=*/true)).ok());
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_ANNOUNCING);
  EXPECT_EQ(Lot().opening().decrypted(), 3u);
  EXPECT_EQ(Lot().opening().decrypt_failed(), 0u);
  EXPECT_TRUE(Lot().opening().ended_early());
  EXPECT_EQ(Lot().opening().failure(), "");
  for (int i = 0; i < 3; ++i) {
    const fold::Bid& bid = BidOf(bidders_[i]);
    EXPECT_EQ(bid.status(), v1::BID_STATUS_DECRYPTED);
    EXPECT_EQ(bid.opening().fault(), v1::FAULT_NONE);
    EXPECT_EQ(bid.opening().consequence(), v1::CONSEQUENCE_NONE);
    ASSERT_EQ(bid.opening().values_size(), 2);
    EXPECT_EQ(bid.opening().values(0).name(), "price");
    EXPECT_EQ(bid.opening().values(0).value(), absl::StrCat(1000 + i, ".00"));
    EXPECT_EQ(bid.opening().values(1).value(), "90");
    EXPECT_EQ(bid.opening().values_key(), bidders_[i].bid.values_key);
  }
  ExpectReplayGivesTheState();
}

TEST_F(FoldOpeningTest, AQuorumLotOpensWithTheCustodiansKeysAtTheWindowsEnd) {
  Begin(v1::OPENING_POLICY_QUORUM, 3);
  Open();
  ASSERT_TRUE(Apply(CustodianRelease(0, kStart + absl::Minutes(3), /*accepted=*/false)).ok());
  ASSERT_TRUE(Apply(CustodianRelease(0, kStart + absl::Minutes(4))).ok());
  ASSERT_TRUE(Apply(CustodianRelease(2, kStart + absl::Minutes(5))).ok());
  ASSERT_EQ(Lot().opening().custodians_size(), 2);
  EXPECT_EQ(Lot().opening().custodians(0).share_x(), 1u);
  EXPECT_EQ(Lot().opening().custodians(0).attempts(), 2u);
  EXPECT_TRUE(Lot().opening().custodians(0).accepted());
  EXPECT_EQ(Lot().opening().custodians(1).share_x(), 3u);
  for (const Bidder& b : bidders_)
    ASSERT_TRUE(Apply(Decrypted(b, kStart + absl::Minutes(6), true)).ok());
  // The agency does not end early: verdicts at the window's end.
  for (const Bidder& b : bidders_) {
    const v1::BidVerdict v = VerdictFor(b, CustodianReleases({0, 2}));
    ASSERT_EQ(v.status(), v1::BID_STATUS_DECRYPTED) << v.reason();
    EXPECT_EQ(std::vector<uint32_t>(v.not_released().begin(), v.not_released().end()),
              std::vector<uint32_t>{2});
    ASSERT_TRUE(Apply(Verdict(v, kWindowEnd)).ok());
  }
  ASSERT_TRUE(Apply(Ended(kWindowEnd, /*early=*/false)).ok());
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_ANNOUNCING);
  EXPECT_FALSE(Lot().opening().ended_early());
  EXPECT_EQ(Lot().opening().decrypted(), 3u);
  EXPECT_EQ(BidOf(bidders_[2]).opening().values(0).value(), "1002.00");
  EXPECT_EQ(std::vector<uint32_t>(BidOf(bidders_[1]).opening().not_released().begin(),
                                  BidOf(bidders_[1]).opening().not_released().end()),
            std::vector<uint32_t>{2});
  ExpectReplayGivesTheState();
}

// ANY: a bidder that lost its key is opened by the quorum; the others by
// their own release. Every bid opened, so the agency ends early.
TEST_F(FoldOpeningTest, AnAnyLotOpensEachBidByWhicheverPathWorks) {
  Begin(v1::OPENING_POLICY_ANY, 3);
  Open();
  const absl::Time t = kStart + absl::Minutes(4);
  ASSERT_TRUE(Apply(BidderRelease(bidders_[0], t)).ok());
  ASSERT_TRUE(Apply(Decrypted(bidders_[0], t, true)).ok());
  ASSERT_TRUE(Apply(BidderRelease(bidders_[2], t)).ok());
  ASSERT_TRUE(Apply(Decrypted(bidders_[2], t, true)).ok());
  ASSERT_TRUE(Apply(CustodianRelease(0, t + absl::Minutes(1))).ok());
  ASSERT_TRUE(Apply(CustodianRelease(1, t + absl::Minutes(2))).ok());
  ASSERT_TRUE(Apply(Decrypted(bidders_[1], t + absl::Minutes(2), true)).ok());
  const absl::Time end = t + absl::Minutes(3);
  for (int i = 0; i < 3; ++i) {
    seal::Releases r = CustodianReleases({0, 1});
    if (i != 1) r.bidder_secret = crypto::Secret(bidders_[i].bid.bidder_release);
    const v1::BidVerdict v = VerdictFor(bidders_[i], r);
    ASSERT_EQ(v.status(), v1::BID_STATUS_DECRYPTED) << v.reason();
    ASSERT_TRUE(Apply(Verdict(v, end)).ok());
  }
  ASSERT_TRUE(Apply(Ended(end, /*early=*/true)).ok());
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_ANNOUNCING);
  EXPECT_EQ(Lot().opening().decrypted(), 3u);
  EXPECT_FALSE(BidOf(bidders_[1]).opening().bidder_released());
  EXPECT_EQ(BidOf(bidders_[1]).opening().values(0).value(), "1001.00");
  ExpectReplayGivesTheState();
}

// BOTH: a bidder that does not release its part fails through its own fault
// (treated as revoked); the opening of the others goes on.
TEST_F(FoldOpeningTest, UnderBothABidderWithoutItsPartIsRevokedAndTheOthersGoOn) {
  Begin(v1::OPENING_POLICY_BOTH, 3, [](v1::LotSpec* spec) { spec->set_min_valid_bids(2); });
  Open();
  const absl::Time t = kStart + absl::Minutes(4);
  ASSERT_TRUE(Apply(CustodianRelease(1, t)).ok());
  ASSERT_TRUE(Apply(CustodianRelease(2, t)).ok());
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(Apply(BidderRelease(bidders_[i], t + absl::Minutes(1))).ok());
    ASSERT_TRUE(Apply(Decrypted(bidders_[i], t + absl::Minutes(1), true)).ok());
  }
  EXPECT_TRUE(StatusIs(Apply(Ended(t + absl::Minutes(2), true)), kLoss,
                       {"decryption ended without one verdict per bid"}));
  for (int i = 0; i < 3; ++i) {
    seal::Releases r = CustodianReleases({1, 2});
    if (i < 2) r.bidder_secret = crypto::Secret(bidders_[i].bid.bidder_release);
    ASSERT_TRUE(Apply(Verdict(VerdictFor(bidders_[i], r), kWindowEnd)).ok()) << i;
  }
  ASSERT_TRUE(Apply(Ended(kWindowEnd, /*early=*/false)).ok());
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_ANNOUNCING);
  EXPECT_EQ(Lot().opening().decrypted(), 2u);
  EXPECT_EQ(Lot().opening().decrypt_failed(), 1u);
  const fold::Bid& without = BidOf(bidders_[2]);
  EXPECT_EQ(without.status(), v1::BID_STATUS_DECRYPT_FAILED);
  EXPECT_EQ(without.opening().fault(), v1::FAULT_BIDDER);
  EXPECT_EQ(without.opening().consequence(), v1::CONSEQUENCE_REVOKED);
  EXPECT_TRUE(absl::StrContains(without.opening().verdict(),
                                "policy BOTH needs the bidder's secret; the bidder has not "
                                "released it"))
      << without.opening().verdict();
  EXPECT_EQ(BidOf(bidders_[0]).status(), v1::BID_STATUS_DECRYPTED);
  EXPECT_EQ(BidOf(bidders_[0]).opening().values(0).value(), "1000.00");
  ExpectReplayGivesTheState();
}

TEST_F(FoldOpeningTest, FewerBidsDecryptedThanTheMinimumFailTheLot) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  Open();
  const absl::Time t = kStart + absl::Minutes(5);
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(Apply(BidderRelease(bidders_[i], t)).ok());
    ASSERT_TRUE(Apply(Decrypted(bidders_[i], t, true)).ok());
  }
  // Bidder 3 tries a wrong secret once, and never the right one.
  ASSERT_TRUE(Apply(BidderRelease(bidders_[2], t, /*accepted=*/false)).ok());
  EXPECT_EQ(BidOf(bidders_[2]).opening().bidder_attempts(), 1u);
  EXPECT_FALSE(BidOf(bidders_[2]).opening().bidder_released());
  EXPECT_EQ(BidOf(bidders_[2]).opening().attempt_failure(),
            "the bidder's released secret does not match secret_commitment");
  // Not every bid opened: no verdict before the window's end.
  EXPECT_TRUE(StatusIs(Apply(Verdict(VerdictFor(bidders_[0], BidderReleases(bidders_[0])),
                                     kWindowEnd - absl::Seconds(1))),
                       kLoss, {"a verdict before decryption may end"}));
  EXPECT_TRUE(StatusIs(Apply(Ended(kWindowEnd - absl::Seconds(1), true)), kLoss,
                       {"decryption ended without one verdict per bid"}));
  for (int i = 0; i < 3; ++i) {
    const v1::BidVerdict v =
        VerdictFor(bidders_[i], i < 2 ? BidderReleases(bidders_[i]) : seal::Releases{});
    ASSERT_TRUE(Apply(Verdict(v, kWindowEnd)).ok()) << i;
  }
  const fold::Bid& lost = BidOf(bidders_[2]);
  EXPECT_EQ(lost.status(), v1::BID_STATUS_DECRYPT_FAILED);
  EXPECT_EQ(lost.opening().fault(), v1::FAULT_BIDDER);
  EXPECT_EQ(lost.opening().consequence(), v1::CONSEQUENCE_REVOKED);
  EXPECT_TRUE(absl::StrContains(lost.opening().verdict(), "the bidder has not released it"))
      << lost.opening().verdict();
  EXPECT_EQ(lost.opening().values_size(), 0);

  v1::Event wrong_failure = Ended(kWindowEnd, false);
  wrong_failure.mutable_decryption_ended()->clear_failure();
  EXPECT_TRUE(
      StatusIs(Apply(wrong_failure), kLoss, {"its failure is not what the lot's minimum gives"}));
  v1::Event early = Ended(kWindowEnd, true);
  EXPECT_TRUE(StatusIs(Apply(early), kLoss, {"decryption ended before it may"}));
  ASSERT_TRUE(Apply(Ended(kWindowEnd, false)).ok());
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_FAILED);
  EXPECT_EQ(Lot().opening().decrypted(), 2u);
  EXPECT_EQ(Lot().opening().decrypt_failed(), 1u);
  EXPECT_EQ(Lot().opening().failure(),
            "2 bids decrypted, fewer than the lot's minimum of 3 (招标投标法实施条例 Art. 44): "
            "the lot failed (流标)");
  EXPECT_TRUE(
      StatusIs(Apply(BidderRelease(bidders_[2], kWindowEnd)), kLoss, {"lot 1 is not decrypting"}));
  ExpectReplayGivesTheState();
}

TEST_F(FoldOpeningTest, AStartWithTooFewLiveBidsFailsTheLotAndRevealsNothing) {
  Begin(v1::OPENING_POLICY_BIDDER, 2);
  const v1::Event start = Start();
  EXPECT_EQ(start.opening_started().failure(),
            "2 live bids, fewer than the lot's minimum of 3 (招标投标法实施条例 Art. 44): the "
            "lot failed (流标)");
  ASSERT_TRUE(Apply(start).ok());
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_FAILED);
  EXPECT_TRUE(StatusIs(Apply(Reveal(bidders_[0])), kLoss, {"lot 1 is not decrypting"}));
}

// --- Refusals: the start ---

TEST_F(FoldOpeningTest, AStartBeforeTheOpeningTimeIsRefused) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  v1::Event e = Start(kOpening);
  *e.mutable_time() = ToProto(kOpening - absl::Minutes(1));
  *e.mutable_opening_started()->mutable_window_end() =
      ToProto(kOpening - absl::Minutes(1) + absl::Minutes(30));
  EXPECT_TRUE(StatusIs(
      Apply(e), kLoss,
      {"event 4 (tender T-7K2M9Q4XRB): the opening of lot 1 of tender T-7K2M9Q4XRB cannot start "
       "before its opening time 2026-03-08T09:00:00+08:00"}));
}

TEST_F(FoldOpeningTest, OnlyTheAgencyOrAnAutoStartStartsTheOpening) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  v1::Event by_bidder = Start();
  *by_bidder.mutable_actor() = bidders_[0].party;
  EXPECT_TRUE(StatusIs(Apply(by_bidder), kLoss,
                       {"the opening was started by neither the agency nor an auto-start"}));
  v1::Event auto_started = Start();
  auto_started.mutable_opening_started()->set_auto_started(true);
  EXPECT_TRUE(StatusIs(Apply(auto_started), kLoss,
                       {"the opening was started by neither the agency nor an auto-start"}));
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_SCHEDULED);
}

TEST_F(FoldOpeningTest, AnAutoStartLotIsStartedByTheServer) {
  Begin(v1::OPENING_POLICY_BIDDER, 3, [](v1::LotSpec* spec) { spec->set_auto_start(true); });
  v1::Event e = Start(kOpening);
  e.mutable_opening_started()->set_auto_started(true);
  *e.mutable_actor() = PartyOf('0', "bidopend", v1::ROLE_UNSPECIFIED);
  ASSERT_TRUE(Apply(e).ok());
  EXPECT_TRUE(Lot().opening().auto_started());
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_DECRYPTING);
}

TEST_F(FoldOpeningTest, TheStartListsExactlyTheLiveBidsInOrder) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  v1::Event missing = Start();
  missing.mutable_opening_started()->mutable_bids()->RemoveLast();
  missing.mutable_opening_started()->set_failure(
      TooFewBids(lot_->spec(), 2, "live bids"));  // what 2 bids would give
  EXPECT_TRUE(StatusIs(Apply(missing), kLoss, {"lists 2 bids but the lot has 3 live"}));

  v1::Event withdraw = Withdrawn(NextSeq(), kTender, 1, bidders_[2].seq);
  ASSERT_TRUE(Apply(withdraw).ok());
  AddBidder(3);  // three live again: bids 1, 2, 5 (4 withdrew 3)
  v1::Event stale = Start();
  stale.mutable_opening_started()->set_bids(2, bidders_[2].seq);  // the withdrawn bid
  EXPECT_TRUE(StatusIs(Apply(stale), kLoss, {"lists bid 3, not a live bid of the lot in order"}));
  v1::Event reordered = Start();
  reordered.mutable_opening_started()->mutable_bids()->SwapElements(0, 1);
  EXPECT_TRUE(
      StatusIs(Apply(reordered), kLoss, {"lists bid 1, not a live bid of the lot in order"}));
  v1::Event late_window = Start();
  *late_window.mutable_opening_started()->mutable_window_end() =
      ToProto(kStart + absl::Minutes(45));
  EXPECT_TRUE(StatusIs(Apply(late_window), kLoss,
                       {"its window end or failure is not what the lot's rules give"}));
  v1::Event start = Start();
  ASSERT_TRUE(Apply(start).ok());
  start.set_seq(NextSeq());
  EXPECT_TRUE(StatusIs(Apply(start), kLoss,
                       {"the opening of lot 1 of tender T-7K2M9Q4XRB already started"}));
}

// --- Refusals: the reveals ---

TEST_F(FoldOpeningTest, ARevealMustOpenTheCommitmentAndTheStatementAndItsHeader) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  ASSERT_TRUE(Apply(Start()).ok());
  const Bidder& b = bidders_[0];

  v1::Event nonce = Reveal(b);
  nonce.mutable_bid_revealed()->mutable_bidder_nonce()->at(0) ^= 1;
  EXPECT_TRUE(StatusIs(Apply(nonce), kLoss,
                       {"bid 1: the revealed nonce does not open its bidder commitment"}));

  v1::Event someone_else = Reveal(b);
  *someone_else.mutable_bid_revealed()->mutable_bidder() = bidders_[1].party;
  EXPECT_TRUE(StatusIs(Apply(someone_else), kLoss,
                       {"the revealed nonce does not open its bidder commitment"}));

  v1::Event statement = Reveal(b);
  statement.mutable_bid_revealed()->set_statement(bidders_[1].statement);
  EXPECT_TRUE(StatusIs(Apply(statement), kLoss,
                       {"bid 1: the revealed statement is not the one its submission used"}));

  v1::Event header = Reveal(b);
  header.mutable_bid_revealed()->set_header(bidders_[1].bid.header_bytes);
  EXPECT_TRUE(StatusIs(Apply(header), kLoss,
                       {"bid 1: the revealed header is not the one the statement signs"}));

  ASSERT_TRUE(Apply(Reveal(b)).ok());
  EXPECT_TRUE(StatusIs(Apply(Reveal(b)), kLoss, {"reveals bid 1, not an unrevealed live bid"}));
  EXPECT_EQ(Lot().opening().revealed(), 1u);
}

// The header the bidder signed is checked against the tender too: a header
// sealed for another tender (which the upload would have refused) is not
// revealed as a bid of this one.
TEST_F(FoldOpeningTest, ARevealedHeaderIsSealedForThisTenderLotAndBidder) {
  Begin(v1::OPENING_POLICY_BIDDER, 2);
  const OpeningLot elsewhere(v1::OPENING_POLICY_BIDDER, "T-9Z9Z9Z9Z9Z");
  AddBidder(2, &elsewhere);
  ASSERT_TRUE(Apply(Start()).ok());
  ASSERT_TRUE(Apply(Reveal(bidders_[0])).ok());
  EXPECT_TRUE(StatusIs(Apply(Reveal(bidders_[2])), kLoss,
                       {"bid 3: the revealed header is sealed for another tender, lot or bidder"}));
}

// --- Refusals: the releases ---

TEST_F(FoldOpeningTest, ABiddersReleaseIsItsBiddersOnceAcceptedWithinTheWindow) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  ASSERT_TRUE(Apply(Start()).ok());
  ASSERT_TRUE(Apply(Reveal(bidders_[0])).ok());
  const absl::Time t = kStart + absl::Minutes(1);
  EXPECT_TRUE(StatusIs(Apply(BidderRelease(bidders_[0], t)), kLoss,
                       {"a release before every bid was revealed"}));
  for (int i = 1; i < 3; ++i) ASSERT_TRUE(Apply(Reveal(bidders_[i])).ok());

  v1::Event other = BidderRelease(bidders_[0], t);
  *other.mutable_actor() = bidders_[1].party;
  EXPECT_TRUE(StatusIs(Apply(other), kLoss, {"a release for bid 1 by another than its bidder"}));

  v1::Event custodian = CustodianRelease(0, t);
  EXPECT_TRUE(StatusIs(Apply(custodian), kLoss, {"a release for share 1 by another custodian"}));

  v1::Event no_hash = BidderRelease(bidders_[0], t);
  no_hash.mutable_key_released()->clear_material_sha256();
  EXPECT_TRUE(StatusIs(Apply(no_hash), kLoss, {"a release without its material's hash"}));

  ASSERT_TRUE(Apply(BidderRelease(bidders_[0], t, /*accepted=*/false)).ok());
  ASSERT_TRUE(Apply(BidderRelease(bidders_[0], t + absl::Minutes(1))).ok());  // a retry
  EXPECT_EQ(BidOf(bidders_[0]).opening().bidder_attempts(), 2u);
  EXPECT_TRUE(BidOf(bidders_[0]).opening().bidder_released());
  EXPECT_TRUE(StatusIs(Apply(BidderRelease(bidders_[0], t + absl::Minutes(2))), kLoss,
                       {"a bidder's release after one was accepted"}));

  EXPECT_TRUE(StatusIs(Apply(BidderRelease(bidders_[1], kWindowEnd + absl::Seconds(1))), kLoss,
                       {"the decryption window of lot 1 of tender T-7K2M9Q4XRB closed at "
                        "2026-03-08T09:31:00+08:00"}));
  ASSERT_TRUE(Apply(BidderRelease(bidders_[1], kWindowEnd)).ok());  // the last moment counts
}

TEST_F(FoldOpeningTest, ACustodianReleasesForItsOwnShareOnceAccepted) {
  Begin(v1::OPENING_POLICY_QUORUM, 3);
  Open();
  const absl::Time t = kStart + absl::Minutes(1);
  EXPECT_TRUE(StatusIs(Apply(BidderRelease(bidders_[0], t)), kLoss,
                       {"a bidder's release in a lot whose policy is QUORUM"}));
  v1::Event misfiled = CustodianRelease(0, t);
  misfiled.mutable_key_released()->set_share_x(2);
  EXPECT_TRUE(StatusIs(Apply(misfiled), kLoss, {"a release for share 2 by another custodian"}));
  v1::Event no_share = CustodianRelease(0, t);
  no_share.mutable_key_released()->set_share_x(4);
  EXPECT_TRUE(StatusIs(Apply(no_share), kLoss, {"a release for share 4 by another custodian"}));
  ASSERT_TRUE(Apply(CustodianRelease(1, t)).ok());
  EXPECT_TRUE(StatusIs(Apply(CustodianRelease(1, t)), kLoss,
                       {"a custodian's release after one was accepted"}));
  EXPECT_TRUE(StatusIs(Apply(CustodianRelease(2, kWindowEnd + absl::Minutes(1))), kLoss,
                       {"the decryption window of lot 1 of tender T-7K2M9Q4XRB closed"}));
}

TEST_F(FoldOpeningTest, AReleaseBeforeTheOpeningIsRefused) {
  Begin(v1::OPENING_POLICY_QUORUM, 3);
  EXPECT_TRUE(StatusIs(Apply(CustodianRelease(0, kOpening + absl::Minutes(1))), kLoss,
                       {"lot 1 is not decrypting"}));
}

// --- Refusals: decryption attempts, verdicts, the end ---

TEST_F(FoldOpeningTest, ABidOpensOnceAndOnlyARevealedBidOpens) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  Open();
  const absl::Time t = kStart + absl::Minutes(3);
  ASSERT_TRUE(Apply(Decrypted(bidders_[0], t, false, "DATA_LOSS: chunk 0")).ok());
  EXPECT_EQ(BidOf(bidders_[0]).opening().attempt_failure(), "DATA_LOSS: chunk 0");
  ASSERT_TRUE(Apply(Decrypted(bidders_[0], t, true)).ok());
  EXPECT_TRUE(StatusIs(Apply(Decrypted(bidders_[0], t, true)), kLoss, {"bid 1 decrypted twice"}));
  v1::Event unknown = Decrypted(bidders_[0], t, true);
  unknown.mutable_bid_decrypted()->set_bid(99);
  EXPECT_TRUE(StatusIs(Apply(unknown), kLoss, {"bid 99 was not revealed in lot 1"}));
  EXPECT_EQ(Lot().opening().opened(), 1u);
}

TEST_F(FoldOpeningTest, AnAnnouncedValueMustOpenTheHeadersValuesCommitment) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  Open();
  for (const Bidder& b : bidders_) {
    ASSERT_TRUE(Apply(BidderRelease(b, kStart + absl::Minutes(2))).ok());
    ASSERT_TRUE(Apply(Decrypted(b, kStart + absl::Minutes(2), true)).ok());
  }
  const v1::BidVerdict honest = VerdictFor(bidders_[0], BidderReleases(bidders_[0]));
  ASSERT_EQ(honest.status(), v1::BID_STATUS_DECRYPTED) << honest.reason();

  v1::BidVerdict cheaper = honest;
  cheaper.mutable_values(0)->set_value("999.00");
  EXPECT_TRUE(StatusIs(Apply(Verdict(cheaper, kWindowEnd)), kLoss,
                       {"bid 1: the announced values and values_key do not open the header's "
                        "values_commitment: they are not what the bidder sealed"}));
  v1::BidVerdict other_key = honest;
  other_key.set_values_key(bidders_[1].bid.values_key);
  EXPECT_TRUE(StatusIs(Apply(Verdict(other_key, kWindowEnd)), kLoss,
                       {"do not open the header's values_commitment"}));
  v1::BidVerdict faulted = honest;
  faulted.set_fault(v1::FAULT_PLATFORM);
  EXPECT_TRUE(StatusIs(Apply(Verdict(faulted, kWindowEnd)), kLoss,
                       {"a DECRYPTED verdict with a fault, or on a bid that never opened"}));
  v1::BidVerdict blamed = honest;
  blamed.clear_values();
  blamed.clear_values_key();
  blamed.set_status(v1::BID_STATUS_DECRYPT_FAILED);
  blamed.set_fault(v1::FAULT_BIDDER);
  blamed.set_consequence(v1::CONSEQUENCE_WITHDRAWN);
  EXPECT_TRUE(StatusIs(Apply(Verdict(blamed, kWindowEnd)), kLoss,
                       {"a verdict whose status, fault and consequence do not agree"}));

  ASSERT_TRUE(Apply(Verdict(honest, kWindowEnd)).ok());
  EXPECT_TRUE(StatusIs(Apply(Verdict(honest, kWindowEnd)), kLoss, {"bid 1 has a verdict already"}));
  EXPECT_EQ(Lot().opening().decrypted(), 1u);
}

// r_v of a bid that did not open would let anyone try prices against its
// values_commitment (a few digits are quickly guessed): it is published only
// with the values of a DECRYPTED verdict.
TEST_F(FoldOpeningTest, AFailedVerdictPublishesNoValuesAndNoValuesKey) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  Open();
  v1::BidVerdict failed = VerdictFor(bidders_[0], seal::Releases{});
  ASSERT_EQ(failed.status(), v1::BID_STATUS_DECRYPT_FAILED) << failed.reason();
  EXPECT_EQ(failed.values_key(), "");
  v1::BidVerdict leaking_key = failed;
  leaking_key.set_values_key(bidders_[0].bid.values_key);
  EXPECT_TRUE(StatusIs(Apply(Verdict(leaking_key, kWindowEnd)), kLoss,
                       {"a verdict whose status, fault and consequence do not agree, or a failed "
                        "one with values"}));
  v1::BidVerdict leaking_values = failed;
  *leaking_values.add_values() = opening_test::Value("price", "1000.00");
  EXPECT_TRUE(
      StatusIs(Apply(Verdict(leaking_values, kWindowEnd)), kLoss, {"or a failed one with values"}));
  ASSERT_TRUE(Apply(Verdict(failed, kWindowEnd)).ok());
}

TEST_F(FoldOpeningTest, AVerdictComesEarlyOnlyWhenEveryBidOpened) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  Open();
  const absl::Time t = kStart + absl::Minutes(2);
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(Apply(BidderRelease(bidders_[i], t)).ok());
    ASSERT_TRUE(Apply(Decrypted(bidders_[i], t, true)).ok());
  }
  const v1::BidVerdict v = VerdictFor(bidders_[0], BidderReleases(bidders_[0]));
  EXPECT_TRUE(StatusIs(Apply(Verdict(v, t + absl::Minutes(1))), kLoss,
                       {"a verdict before decryption may end"}));
  ASSERT_TRUE(Apply(BidderRelease(bidders_[2], t)).ok());
  ASSERT_TRUE(Apply(Decrypted(bidders_[2], t, true)).ok());
  EXPECT_TRUE(Apply(Verdict(v, t + absl::Minutes(1))).ok());
}

TEST_F(FoldOpeningTest, ADecryptedVerdictNeedsABidThatOpened) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  Open();
  const v1::BidVerdict v = VerdictFor(bidders_[0], BidderReleases(bidders_[0]));
  ASSERT_EQ(v.status(), v1::BID_STATUS_DECRYPTED);
  EXPECT_TRUE(StatusIs(Apply(Verdict(v, kWindowEnd)), kLoss,
                       {"a DECRYPTED verdict with a fault, or on a bid that never opened"}));
}

// The verdicts of a lot are given together, with every release of the lot
// (docs/sealed-bid-format.md §5): a release or decryption attempt between
// them would let later verdicts rest on releases the earlier ones lacked.
TEST_F(FoldOpeningTest, NothingIsReleasedOrDecryptedOnceTheVerdictsBegan) {
  Begin(v1::OPENING_POLICY_QUORUM, 3);
  Open();
  ASSERT_TRUE(Apply(CustodianRelease(0, kStart + absl::Minutes(2))).ok());
  const v1::BidVerdict first = VerdictFor(bidders_[0], CustodianReleases({0}));
  ASSERT_EQ(first.fault(), v1::FAULT_CUSTODIANS) << first.reason();
  ASSERT_TRUE(Apply(Verdict(first, kWindowEnd)).ok());
  EXPECT_TRUE(StatusIs(Apply(CustodianRelease(1, kWindowEnd)), kLoss,
                       {"a release after the lot's verdicts began"}));
  EXPECT_TRUE(StatusIs(Apply(Decrypted(bidders_[1], kWindowEnd, true)), kLoss,
                       {"a decryption attempt after the lot's verdicts began"}));
  EXPECT_EQ(Lot().opening().custodians_size(), 1);
  EXPECT_EQ(Lot().opening().opened(), 0u);
}

TEST_F(FoldOpeningTest, DecryptionEndsWithOneVerdictPerBid) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  Open();
  for (int i = 0; i < 2; ++i)
    ASSERT_TRUE(Apply(Verdict(VerdictFor(bidders_[i], seal::Releases{}), kWindowEnd)).ok());
  EXPECT_TRUE(StatusIs(Apply(Ended(kWindowEnd, false)), kLoss,
                       {"decryption ended without one verdict per bid"}));
  ASSERT_TRUE(Apply(Verdict(VerdictFor(bidders_[2], seal::Releases{}), kWindowEnd)).ok());
  v1::Event miscounted = Ended(kWindowEnd, false);
  miscounted.mutable_decryption_ended()->set_decrypted(1);
  EXPECT_TRUE(StatusIs(Apply(miscounted), kLoss, {"decryption ended without one verdict per bid"}));
  ASSERT_TRUE(Apply(Ended(kWindowEnd, false)).ok());
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_FAILED);
  EXPECT_EQ(Lot().opening().decrypt_failed(), 3u);
  EXPECT_TRUE(StatusIs(Apply(Ended(kWindowEnd, false)), kLoss, {"lot 1 is not decrypting"}));
  ExpectReplayGivesTheState();
}

}  // namespace
}  // namespace bidopen
