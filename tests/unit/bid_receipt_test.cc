// The header check of an upload (receipts: receipt_test.cc).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/bid/header_scan.h"
#include "core/bid/receipt.h"
#include "core/bid/statement.h"
#include "core/crypto/sha256.h"
#include "core/crypto/signature.h"
#include "core/crypto/x25519.h"
#include "core/opening/time_text.h"
#include "core/seal/seal_bid.h"
#include "platform/file_env.h"
#include "tests/unit/assertions.h"
#include "tests/unit/audit_fixture.h"

namespace bidopen::testing {
namespace {

class HeaderScanTest : public ::testing::Test {
 protected:
  HeaderScanTest() {
    const std::string doc = TempPath("header_scan_doc");
    std::ofstream(doc, std::ios::binary) << std::string(5000, 'd');
    params_.tender_id = "T-1";
    params_.lot.set_number(1);
    params_.lot.mutable_spec()->set_policy(v1::OPENING_POLICY_BIDDER);
    params_.keys.bidder_fingerprint = "fp-bidder";
    params_.keys.bidder_public = crypto::GenerateX25519()->public_key;
    params_.documents = {{"offer.pdf", doc}};
    params_.chunk_size = 1024;
    params_.env = &platform::DefaultFileEnv();
    std::ostringstream out;
    auto sealed = seal::SealBid(params_, out);
    EXPECT_TRUE(sealed.ok()) << sealed.status();
    header_hash_ = sealed->header_hash;
    file_ = out.str();
  }

  // Feeds file_ in pieces of `step` bytes; returns the first error.
  absl::Status FeedAll(bid::HeaderScan& scan, size_t step) {
    for (size_t at = 0; at < file_.size(); at += step)
      if (absl::Status st = scan.Feed(absl::string_view(file_).substr(at, step)); !st.ok())
        return st;
    return absl::OkStatus();
  }

  seal::SealParams params_;
  std::string file_;
  std::string header_hash_;
};

TEST_F(HeaderScanTest, TheHeaderIsCheckedWhateverTheChunking) {
  for (size_t step : {1, 7, 21, 4096, 1 << 20}) {
    bid::HeaderScan scan("T-1", params_.lot, "fp-bidder");
    ASSERT_TRUE(FeedAll(scan, step).ok()) << step;
    ASSERT_TRUE(scan.done()) << step;
    EXPECT_EQ(scan.header_hash(), header_hash_) << step;
  }
}

TEST_F(HeaderScanTest, NotYetDoneInsideTheHeader) {
  bid::HeaderScan scan("T-1", params_.lot, "fp-bidder");
  ASSERT_TRUE(scan.Feed(absl::string_view(file_).substr(0, 30)).ok());
  EXPECT_FALSE(scan.done());
}

TEST_F(HeaderScanTest, AFileThatIsNotASealedBidIsRefusedAtItsFirstBytes) {
  bid::HeaderScan scan("T-1", params_.lot, "fp-bidder");
  EXPECT_TRUE(StatusIs(scan.Feed("%PDF-1.7 this is a plain document"),
                       absl::StatusCode::kInvalidArgument, {"sealed bid"}));
}

TEST_F(HeaderScanTest, AnImpossibleHeaderLengthIsRefused) {
  std::string bad = file_.substr(0, 17) + std::string("\xff\xff\xff\xff", 4);
  bid::HeaderScan scan("T-1", params_.lot, "fp-bidder");
  EXPECT_TRUE(StatusIs(scan.Feed(bad), absl::StatusCode::kInvalidArgument,
                       {"header length", "outside 1..65536"}));
}

// A file cut or extended after sealing is refused at its first chunk: its
// declared size is not the length its header commits to.
TEST_F(HeaderScanTest, ADeclaredSizeOtherThanTheHeadersIsRefusedNamingBoth) {
  const uint64_t size = file_.size();
  bid::HeaderScan exact("T-1", params_.lot, "fp-bidder", size);
  EXPECT_TRUE(FeedAll(exact, 4096).ok());
  for (uint64_t wrong : {size - 1, size + 1}) {
    bid::HeaderScan scan("T-1", params_.lot, "fp-bidder", wrong);
    EXPECT_TRUE(StatusIs(scan.Feed(absl::string_view(file_).substr(0, 4096)),
                         absl::StatusCode::kInvalidArgument,
                         {"sealed bid: size: the file is", absl::StrCat(wrong, " bytes"),
                          absl::StrCat("makes it ", size, " bytes"), "seal the bid again"}));
  }
}

// A lot with custodian shares takes no bid unless it publishes one per-lot key
// per custodian: its shares could otherwise be wrapped to keys nobody holds.
TEST_F(HeaderScanTest, AQuorumLotWithoutOneKeyPerCustodianIsRefused) {
  seal::SealParams p = params_;
  v1::LotSpec* spec = p.lot.mutable_spec();
  spec->set_policy(v1::OPENING_POLICY_QUORUM);
  spec->set_threshold(2);
  for (const char* fp : {"fp-custodian-1", "fp-custodian-2"}) {
    const std::string key = crypto::GenerateX25519()->public_key;
    spec->add_custodians(fp);
    p.keys.custodians.emplace_back(fp, key);
  }
  std::ostringstream out;
  ASSERT_TRUE(seal::SealBid(p, out).ok());
  file_ = out.str();
  v1::Lot lot = p.lot;
  bid::HeaderScan none("T-1", lot, "fp-bidder");
  EXPECT_TRUE(StatusIs(FeedAll(none, 4096), absl::StatusCode::kFailedPrecondition,
                       {"lot 1 (policy QUORUM) has 0 per-lot custodian keys for 2 custodians"}));
  lot.mutable_spec()->add_custodian_keys(p.keys.custodians[0].second);
  bid::HeaderScan one("T-1", lot, "fp-bidder");
  EXPECT_TRUE(StatusIs(FeedAll(one, 4096), absl::StatusCode::kFailedPrecondition,
                       {"lot 1 (policy QUORUM) has 1 per-lot custodian key for 2 custodians"}));
  lot.mutable_spec()->add_custodian_keys(p.keys.custodians[1].second);
  bid::HeaderScan both("T-1", lot, "fp-bidder");
  EXPECT_TRUE(FeedAll(both, 4096).ok());
  EXPECT_TRUE(both.done());
}

TEST_F(HeaderScanTest, AFileSealedForAnotherLotOrBidderFailsItsPrecondition) {
  v1::Lot other_lot = params_.lot;
  other_lot.set_number(2);
  bid::HeaderScan wrong_lot("T-1", other_lot, "fp-bidder");
  EXPECT_TRUE(StatusIs(FeedAll(wrong_lot, 4096), absl::StatusCode::kFailedPrecondition, {"lot"}));
  bid::HeaderScan wrong_bidder("T-1", params_.lot, "fp-someone-else");
  EXPECT_TRUE(
      StatusIs(FeedAll(wrong_bidder, 4096), absl::StatusCode::kFailedPrecondition, {"bidder"}));
  bid::HeaderScan wrong_tender("T-2", params_.lot, "fp-bidder");
  EXPECT_TRUE(
      StatusIs(FeedAll(wrong_tender, 4096), absl::StatusCode::kFailedPrecondition, {"tender"}));
}

}  // namespace
}  // namespace bidopen::testing
