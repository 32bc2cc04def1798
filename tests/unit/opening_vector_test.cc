// A known-answer vector of what the log shows at an opening, for the
// independent check tests/vectors/opening_check.py (docs/audit-log.md,
// "Checking announced values"): a bid sealed with the counting randomness, its
// BidRevealed pieces (header, statement, bidder, nonce), its BidSubmitted
// hashes, and the DECRYPTED verdict's values and values_key. The C++ checks
// the fold applies (CheckReveal, CheckAnnouncedValues) accept the same bytes.
// BIDOPEN_WRITE_OPENING_VECTORS=FILE writes tests/vectors/opening_vectors.txt anew.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/bid/statement.h"
#include "core/crypto/sha256.h"
#include "core/crypto/x25519.h"
#include "core/opening/reveal_check.h"
#include "core/seal/context.h"
#include "core/seal/header.h"
#include "core/seal/seal_bid.h"
#include "tests/support/counting_random.h"
#include "tests/unit/assertions.h"

namespace bidopen {
namespace {

using crypto::Hex;

// The keys of the sealed-bid vectors (docs/sealed-bid-format.md §13).
const std::string kBidderPrivate =
    absl::HexStringToBytes("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
const std::string kCustodianPrivate[3] = {
    absl::HexStringToBytes("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"),
    crypto::Sha256("custodian 2"), crypto::Sha256("custodian 3")};
const char kTender[] = "T-7K2M9Q4XRB";

// One line per value, in this order (opening_check.py reads them by name).
struct Vector {
  std::vector<std::pair<std::string, std::string>> lines;
  v1::BidRevealed reveal;
  fold::Bid bid;  // as BidSubmitted left it in the fold
  v1::BidVerdict verdict;
};

Vector Make() {
  testing::CountingRandom random;
  seal::SealParams p;
  p.tender_id = kTender;
  p.lot.set_number(1);
  v1::LotSpec* spec = p.lot.mutable_spec();
  for (auto [name, type] : {std::pair{"price", v1::FIELD_TYPE_DECIMAL},
                            std::pair{"duration_days", v1::FIELD_TYPE_INT}}) {
    v1::FormField* f = spec->add_form();
    f->set_name(name);
    f->set_type(type);
    f->set_required(true);
  }
  spec->set_policy(v1::OPENING_POLICY_ANY);
  spec->set_threshold(2);
  const std::string bidder_fp = Hex(crypto::Sha256("bidder certificate"));
  p.keys = {bidder_fp, *crypto::X25519PublicFromPrivate(kBidderPrivate), {}};
  for (int i = 0; i < 3; ++i) {
    const std::string fp = Hex(crypto::Sha256(absl::StrCat("custodian ", i + 1, " certificate")));
    spec->add_custodians(fp);
    p.keys.custodians.emplace_back(fp, *crypto::X25519PublicFromPrivate(kCustodianPrivate[i]));
  }
  p.form = {{"price", "1234.50"}, {"duration_days", "90"}};
  p.chunk_size = 1024;
  p.random = &random;
  std::ostringstream out;
  auto sealed = seal::SealBid(p, out);
  EXPECT_TRUE(sealed.ok()) << sealed.status();
  if (!sealed.ok()) return {};
  const std::string file = out.str();
  const std::string header = seal::EncodeHeader(sealed->header);

  v1::BidStatement st;
  st.set_purpose(std::string(bid::kSubmitPurpose));
  st.set_tender_id(kTender);
  st.set_lot(1);
  st.set_bidder(bidder_fp);
  st.set_header_sha256(seal::HeaderHash(header));
  st.set_ciphertext_sha256(crypto::Sha256(file));
  st.set_size(file.size());
  st.set_client_nonce(random.Bytes(bid::kClientNonceSize));
  const std::string statement = bid::EncodeStatement(st);
  const std::string nonce = random.Bytes(bid::kNonceSize);
  const std::string values_key = seal::DeriveKey(sealed->secret.view(), seal::kValuesKeyLabel,
                                                 seal::ContextHash(sealed->header))
                                     ->bytes();

  Vector v;
  v.reveal.set_lot(1);
  v.reveal.set_bid(7);
  v.reveal.mutable_bidder()->set_fingerprint(bidder_fp);
  v.reveal.set_bidder_nonce(nonce);
  v.reveal.set_statement(statement);
  v.reveal.set_header(header);
  v.bid.set_seq(7);
  v.bid.set_lot(1);
  v.bid.set_bidder_commitment(bid::BidderCommitment(bidder_fp, nonce));
  v.bid.set_statement_sha256(crypto::Sha256(statement));
  v.bid.set_size(file.size());
  v.verdict.set_lot(1);
  v.verdict.set_bid(7);
  v.verdict.set_status(v1::BID_STATUS_DECRYPTED);
  for (const v1::FormValue& value : sealed->manifest.values()) *v.verdict.add_values() = value;
  v.verdict.set_values_key(values_key);

  v.lines = {{"header", Hex(header)},
             {"statement", Hex(statement)},
             {"bidder", bidder_fp},
             {"nonce", Hex(nonce)},
             {"bidder_commitment", Hex(v.bid.bidder_commitment())},
             {"statement_sha256", Hex(v.bid.statement_sha256())},
             {"header_hash", Hex(seal::HeaderHash(header))},
             {"ctx_hash", Hex(seal::ContextHash(sealed->header))}};
  for (const v1::FormValue& value : sealed->manifest.values())
    v.lines.emplace_back("value", absl::StrCat(value.name(), "=", value.value()));
  v.lines.emplace_back("values_key", Hex(values_key));
  v.lines.emplace_back("values_commitment", Hex(sealed->header.values_commitment()));
  return v;
}

std::string Text(const Vector& v) {
  std::string out;
  for (const auto& [key, value] : v.lines) absl::StrAppend(&out, key, " ", value, "\n");
  return out;
}

TEST(OpeningVectorTest, TheStoredVectorIsReproducedByteForByte) {
  const Vector v = Make();
  const std::string text = Text(v);
  if (const char* path = std::getenv("BIDOPEN_WRITE_OPENING_VECTORS")) {
    std::ofstream(path) << text;
    return;
  }
  std::ifstream in(BIDOPEN_SOURCE_DIR "/tests/vectors/opening_vectors.txt");
  std::stringstream stored;
  stored << in.rdbuf();
  EXPECT_EQ(stored.str(), text);
}

TEST(OpeningVectorTest, TheFoldsChecksAcceptTheVectorAndRefuseAChangedPrice) {
  Vector v = Make();
  auto statement = CheckReveal(v.reveal, v.bid, kTender);
  ASSERT_TRUE(statement.ok()) << statement.status();
  EXPECT_EQ(Hex(statement->header_sha256()), v.lines[6].second);
  EXPECT_TRUE(CheckAnnouncedValues(v.reveal.header(), v.verdict).ok());
  v.verdict.mutable_values(0)->set_value("1234.49");
  EXPECT_TRUE(testing::StatusIs(CheckAnnouncedValues(v.reveal.header(), v.verdict),
                                absl::StatusCode::kDataLoss,
                                {"bid 7: the announced values and values_key do not open the "
                                 "header's values_commitment"}));
}

}  // namespace
}  // namespace bidopen
