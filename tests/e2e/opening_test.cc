// The opening end to end: start with the bidders revealed, releases by
// bidders and custodians, decryption, verdicts, fetch and evidence; and each
// refusal with its status.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "bidopen/v1/audit.grpc.pb.h"
#include "bidopen/v1/events.pb.h"
#include "core/crypto/kdf.h"
#include "tests/e2e/opening_fixture.h"

namespace bidopen::testing {
namespace {

std::map<std::string, std::string> ValuesOf(const v1::BidEntry& b) {
  std::map<std::string, std::string> out;
  for (const v1::FormValue& v : b.opening().values()) out[v.name()] = v.value();
  return out;
}

// Policy ANY, three bidders; bidder3 has lost its key, so its bid opens
// through two of the three custodians. Every value announced, fetchable, and
// each bid's evidence served to an auditor.
TEST_F(OpeningTest, ThreeBidsOpenOneThroughTheCustodiansQuorum) {
  RegisterAll();
  const std::string id = ShortTender("ANY");
  Submit(id, "bidder1", "1000.00");
  Submit(id, "bidder2", "990.50");
  Submit(id, "bidder3", "1010");
  const std::string s1 = BidderSecret(id, "bidder1");
  const std::string s2 = BidderSecret(id, "bidder2");

  grpc::Status early = ReleaseBidder(id, "bidder1", s1);
  EXPECT_EQ(early.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << early.error_message();
  EXPECT_PRED2(Has, early.error_message(), std::string("has not started"));

  WaitForOpeningTime();
  v1::OpeningStatus started;
  ASSERT_TRUE(Start(id, &started).ok());
  EXPECT_EQ(started.status(), v1::LOT_STATUS_DECRYPTING);
  EXPECT_EQ(started.lot_state().opening().bids(), 3u);
  EXPECT_EQ(started.lot_state().opening().revealed(), 3u);
  ASSERT_NE(BidOf(started, "Gamma Builders Inc"), nullptr) << "the reveal names every bidder";
  for (const v1::BidEntry& b : started.lot_state().bids()) EXPECT_EQ(b.opening().values_size(), 0);

  v1::ReleaseResult r;
  ASSERT_TRUE(ReleaseBidder(id, "bidder1", s1, &r).ok());
  EXPECT_TRUE(r.accepted()) << r.message();
  ASSERT_TRUE(ReleaseBidder(id, "bidder2", s2).ok());
  ASSERT_TRUE(ReleaseCustodian(id, "custodian1", LotPrivateKey(id, "custodian1"), &r).ok());
  EXPECT_TRUE(r.accepted()) << r.message();
  ASSERT_TRUE(ReleaseCustodian(id, "custodian2", LotPrivateKey(id, "custodian2")).ok());
  WaitOpened(id, 3);

  // Nothing of the values is visible before the verdicts, to anyone.
  v1::OpeningStatus before = Status(id, "bidder2");
  for (const v1::BidEntry& b : before.lot_state().bids()) EXPECT_EQ(b.opening().values_size(), 0);

  // Ending early waits for the last custodian: its release could still reveal a bad share.
  grpc::Status too_early = End(id);
  EXPECT_EQ(too_early.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_PRED2(Has, too_early.error_message(), std::string("once every custodian released"));
  ASSERT_TRUE(ReleaseCustodian(id, "custodian3", LotPrivateKey(id, "custodian3")).ok());
  v1::OpeningStatus ended;
  ASSERT_TRUE(End(id, &ended).ok());
  EXPECT_EQ(ended.status(), v1::LOT_STATUS_CONFIRMING);  // announced with the verdicts
  EXPECT_TRUE(ended.lot_state().opening().ended_early());
  EXPECT_EQ(ended.lot_state().opening().decrypted(), 3u);
  const v1::BidEntry* gamma = BidOf(ended, "Gamma Builders Inc");
  ASSERT_NE(gamma, nullptr);
  EXPECT_EQ(gamma->status(), v1::BID_STATUS_DECRYPTED);
  EXPECT_EQ(ValuesOf(*gamma)["price"], "1010");
  EXPECT_EQ(ValuesOf(*BidOf(ended, "Beta Engineering Ltd"))["price"], "990.50");
  EXPECT_EQ(gamma->opening().values_key().size(), 32u);

  // The agency fetches bidder3's documents; each SHA-256 as the manifest says.
  grpc::ClientContext fctx;
  v1::BidRef ref;
  *ref.mutable_lot() = Lot(id);
  ref.set_bid(gamma->seq());
  auto reader = Opening("agency1")->FetchBid(&fctx, ref);
  v1::BidContent c;
  v1::BidManifest manifest;
  std::string doc;
  while (reader->Read(&c)) {
    if (c.has_manifest()) manifest = c.manifest();
    if (c.has_piece()) doc += c.piece().data();
  }
  ASSERT_TRUE(reader->Finish().ok());
  ASSERT_EQ(manifest.documents_size(), 1);
  EXPECT_EQ(doc, "Offer of bidder3 at 1010");
  EXPECT_EQ(crypto::Sha256(doc), manifest.documents(0).sha256());

  // An auditor gets the sealed file and every release of the lot for it.
  grpc::ClientContext ectx;
  auto evidence = Opening("auditor1")->GetBidEvidence(&ectx, ref);
  v1::BidEvidence e;
  std::string file;
  v1::EvidenceHead head;
  while (evidence->Read(&e)) {
    if (e.has_head()) head = e.head();
    if (e.has_piece()) file += e.piece().data();
  }
  ASSERT_TRUE(evidence->Finish().ok());
  EXPECT_EQ(head.releases_size(), 3) << "three custodians, no bidder release";
  EXPECT_EQ(crypto::Sha256(file), head.ciphertext_sha256());
  EXPECT_EQ(file, ReadWholeFile(dir_.path() + "/bidder3.sealed"));
}

// Each refusal a user can meet, with its status and what it names.
TEST_F(OpeningTest, RefusalsNameWhatIsWrong) {
  RegisterAll();
  const std::string id = ShortTender("ANY", absl::Seconds(10), "30s", {"--min-bids", "2"});
  v1::OpeningStatus ignored;
  grpc::Status st = Start(id);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_PRED2(Has, st.error_message(), std::string("cannot start before its opening time"));
  EXPECT_PRED2(Has, st.error_message(), std::string("+08:00"));
  Submit(id, "bidder1", "1000.00");
  Submit(id, "bidder2", "990.50");
  const std::string s1 = BidderSecret(id, "bidder1");
  WaitForOpeningTime();

  st = Start(id, nullptr, "bidder1");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  ASSERT_TRUE(Start(id).ok());
  st = Start(id);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_PRED2(Has, st.error_message(), std::string("already started at"));

  st = ReleaseBidder(id, "bidder1", "short");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_PRED2(Has, st.error_message(),
               std::string("secret: the bid secret (s, or s_b under BOTH) is 32 "
                           "bytes, got 5"));
  // A release is signed by its releaser and cites a head the log key signed
  // (docs/protocol.md "Releasing"): refused before anything else otherwise.
  st = ReleaseBidder(id, "bidder1", s1, nullptr, Signing::kNone);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_PRED2(Has, st.error_message(), std::string("signature: missing"));
  st = ReleaseBidder(id, "bidder1", s1, nullptr, Signing::kWrongKey);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_PRED2(Has, st.error_message(),
               std::string("signature: does not verify with the key of the caller's certificate"));
  st = ReleaseBidder(id, "bidder1", s1, nullptr, Signing::kNoHead);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_PRED2(Has, st.error_message(), std::string("seen_checkpoint, seen_signature: missing"));
  st = ReleaseCustodian(id, "custodian1", LotPrivateKey(id, "custodian1"), nullptr,
                        Signing::kWrongKey);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_PRED2(Has, st.error_message(), std::string("signature: does not verify"));
  EXPECT_EQ(Status(id).lot_state().bids(0).opening().bidder_attempts(), 0u)
      << "nothing refused for its signature is logged";
  st = ReleaseBidder(id, "bidder3", s1);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_PRED2(Has, st.error_message(), std::string("have no bid revealed at the opening"));
  v1::LotRef unknown = Lot(id);
  unknown.set_lot(7);
  {
    grpc::ClientContext ctx;
    v1::ReleaseKeyRequest req;
    *req.mutable_lot() = unknown;
    req.set_secret(s1);
    const SignedRelease sig =
        SignAs(id, "bidder1", v1::RELEASE_KIND_BIDDER, 0, 0, s1, Signing::kGood, 7);
    req.set_seen_checkpoint(sig.seen_checkpoint);
    req.set_seen_signature(sig.seen_signature);
    req.set_signature(sig.signature);
    v1::ReleaseResult out;
    st = Opening("bidder1")->ReleaseKey(&ctx, req, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND) << st.error_message();
    EXPECT_PRED2(Has, st.error_message(), std::string("has no lot 7"));
  }
  {
    grpc::ClientContext ctx;
    v1::LotRef no_lot = Lot(id);
    no_lot.set_lot(0);
    v1::OpeningStatus out;
    st = Opening("auditor1")->GetOpening(&ctx, no_lot, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
    EXPECT_PRED2(Has, st.error_message(), std::string("lot.lot: must be 1 or more"));
  }

  // A wrong secret is the bidder's failed attempt; the right one then counts.
  v1::ReleaseResult r;
  ASSERT_TRUE(ReleaseBidder(id, "bidder1", crypto::RandomBytes(32), &r).ok());
  EXPECT_FALSE(r.accepted());
  EXPECT_PRED2(Has, r.message(), std::string("failed attempt"));
  ASSERT_TRUE(ReleaseBidder(id, "bidder1", s1, &r).ok());
  EXPECT_TRUE(r.accepted()) << r.message();
  const uint64_t seq = r.seq();
  ASSERT_TRUE(ReleaseBidder(id, "bidder1", s1, &r).ok());
  EXPECT_TRUE(r.already()) << "a second release after success appends nothing";
  EXPECT_EQ(Status(id).lot_state().bids(0).opening().bidder_attempts(), 2u);
  (void)seq;

  // A custodian releasing another key than its own: its failed attempt.
  ASSERT_TRUE(ReleaseCustodian(id, "custodian3", crypto::RandomBytes(32), &r).ok());
  EXPECT_FALSE(r.accepted());
  EXPECT_PRED2(Has, r.message(), std::string("not the one of its published per-lot key"));
  st = ReleaseCustodian(id, "custodian1", "x");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  // Nothing leaves before the verdicts; bidders never fetch.
  grpc::ClientContext fctx;
  v1::BidRef ref;
  *ref.mutable_lot() = Lot(id);
  ref.set_bid(Status(id).lot_state().bids(0).seq());
  v1::BidContent c;
  auto reader = Opening("agency1")->FetchBid(&fctx, ref);
  while (reader->Read(&c)) {
  }
  st = reader->Finish();
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_PRED2(Has, st.error_message(), std::string("has not finished decryption"));
  grpc::ClientContext bctx;
  auto bidder = Opening("bidder1")->FetchBid(&bctx, ref);
  while (bidder->Read(&c)) {
  }
  EXPECT_EQ(bidder->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);

  st = End(id);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_PRED2(Has, st.error_message(), std::string("can end early only once every bid opened"));
}

}  // namespace
}  // namespace bidopen::testing
