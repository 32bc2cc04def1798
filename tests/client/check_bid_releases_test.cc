// Review 7 U4 at `bidctl audit check-bid`: the re-run of a verdict uses only
// releases the log holds for the lot (same seq, kind and material hash). An
// operator that read a colluding bidder's bid with a secret handed over
// privately cannot make check-bid agree by listing that secret in the
// evidence as a "release": it is not used, and it shows as untied.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "client/verdict_replay.h"
#include "core/opening/tender_view.h"
#include "tests/unit/fold_opening_fixture.h"

namespace bidopen::opening_test {
namespace {

TEST_F(FoldOpeningTest, CheckBidUsesOnlyReleasesTheLogHolds) {
  Begin(v1::OPENING_POLICY_BOTH, 3, [](v1::LotSpec* spec) { spec->set_min_valid_bids(2); });
  Open();
  const absl::Time t = kStart + absl::Minutes(4);
  for (int i = 1; i < 3; ++i) ASSERT_TRUE(Apply(BidderRelease(bidders_[i], t)).ok());
  const absl::Time turn = kStart + (kWindowEnd - kStart) / 2 + kReplicaClockSlack;
  for (int c = 1; c < 3; ++c) {  // logged with the hash of the real per-lot key
    v1::Event e = CustodianRelease(c, turn);
    e.mutable_key_released()->set_material_sha256(MaterialHash(lot_->custodian_private(c)));
    ASSERT_TRUE(Apply(e).ok());
  }
  const Bidder& partner = bidders_[0];  // never released in the log
  const v1::BidVerdict by_the_log = VerdictFor(partner, CustodianReleases({1, 2}));
  ASSERT_EQ(by_the_log.fault(), v1::FAULT_BIDDER) << by_the_log.reason();
  ASSERT_TRUE(Apply(Verdict(by_the_log, kWindowEnd)).ok());
  const v1::Tender tender = TenderView(state_);
  const v1::Lot& lot = tender.lots(0);
  const v1::BidEntry* entry = nullptr;
  for (const v1::BidEntry& b : lot.bids())
    if (b.seq() == partner.seq) entry = &b;
  ASSERT_NE(entry, nullptr);

  // The evidence: the two logged custodian keys, and the partner's s_b
  // listed as a release at a seq that is no KeyReleased.
  client::SavedEvidence ev;
  ev.head.set_bid(partner.seq);
  ev.head.set_size(partner.bid.file.size());
  ev.head.set_ciphertext_sha256(crypto::Sha256(partner.bid.file));
  for (const v1::CustodianRelease& c : Lot().opening().custodians()) {
    v1::ReleasedMaterial* m = ev.head.add_releases();
    m->set_seq(c.seq());
    m->set_kind(v1::RELEASE_KIND_CUSTODIAN);
    m->set_share_x(c.share_x());
    m->set_fingerprint(c.fingerprint());
    m->set_material(lot_->custodian_private(static_cast<int>(c.share_x()) - 1));
    m->set_accepted(true);
  }
  v1::ReleasedMaterial* extra = ev.head.add_releases();
  extra->set_seq(partner.seq + 1);
  extra->set_kind(v1::RELEASE_KIND_BIDDER);
  extra->set_fingerprint(partner.party.fingerprint());
  extra->set_material(partner.bid.bidder_release);
  extra->set_accepted(true);
  const std::string path =
      (std::filesystem::temp_directory_path() / "check-bid-releases.sealed").string();
  {
    std::ofstream out(path, std::ios::binary);
    out << partner.bid.file;
  }
  ev.file = path;
  ev.file_sha256 = crypto::Sha256(partner.bid.file);

  absl::StatusOr<client::ReplayedVerdict> r =
      client::ReplayVerdict(ev, lot, &entry->opening(), client::KeyReleasesOf(log_, 1));
  std::filesystem::remove(path);
  ASSERT_TRUE(r.ok()) << r.status();
  // Judged with the log's releases only: the bidder's fault, as logged.
  EXPECT_EQ(r->verdict.status(), v1::BID_STATUS_DECRYPT_FAILED) << r->verdict.reason();
  EXPECT_EQ(r->verdict.fault(), v1::FAULT_BIDDER);
  ASSERT_EQ(r->untied.size(), 1u);
  EXPECT_EQ(r->untied[0], absl::StrCat("the evidence's release at log #", partner.seq + 1,
                                       " is no release the log holds for this lot: not used"));
}

}  // namespace
}  // namespace bidopen::opening_test
