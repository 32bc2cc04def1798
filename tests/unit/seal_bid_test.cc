// Sealing whole bids (SealBid) and opening them (SealReader + ReadBid) under
// each opening policy, with documents on disk.
#include "core/seal/seal_bid.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "core/crypto/sha256.h"
#include "core/crypto/x25519.h"
#include "core/seal/bid_plaintext.h"
#include "core/seal/file_source.h"
#include "core/seal/header.h"
#include "core/seal/key_release.h"
#include "core/seal/stream_reader.h"
#include "core/seal/stream_writer.h"
#include "tests/unit/assertions.h"

namespace bidopen::seal {
namespace {

using ::bidopen::testing::InvalidField;
using ::bidopen::testing::ProtoEquals;
using ::bidopen::testing::StatusIs;

// Keeps what an opened bid delivers.
class CollectingSink : public BidSink {
 public:
  absl::Status OnManifest(const v1::BidManifest& m) override {
    manifests++;
    return absl::OkStatus();
  }
  absl::Status OnDocumentBegin(int index, const v1::Document& doc) override {
    order.push_back(doc.name());
    return absl::OkStatus();
  }
  absl::Status OnDocumentData(int index, absl::string_view bytes) override {
    documents[order.back()].append(bytes.data(), bytes.size());
    return absl::OkStatus();
  }
  absl::Status OnDocumentEnd(int index, const v1::Document& doc) override {
    ended++;
    return absl::OkStatus();
  }
  int manifests = 0;
  int ended = 0;
  std::vector<std::string> order;
  std::map<std::string, std::string> documents;
};

crypto::X25519KeyPair NewPair() { return *crypto::GenerateX25519(); }

class SealBidTest : public ::testing::Test {
 protected:
  SealBidTest() : bidder_(NewPair()) {
    for (int i = 0; i < 3; ++i) custodians_.push_back(NewPair());
  }

  static std::string CustodianFp(size_t i) { return absl::StrCat("fp-custodian-", i + 1); }

  std::string WriteDoc(const std::string& name, const std::string& bytes) {
    const std::string path = testing::TempPath(absl::StrCat("seal_bid_test_", name));
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  SealParams Params(v1::OpeningPolicy policy, int threshold) {
    SealParams p;
    p.tender_id = "T-1";
    p.lot.set_number(1);
    v1::LotSpec* spec = p.lot.mutable_spec();
    v1::FormField* price = spec->add_form();
    price->set_name("price");
    price->set_type(v1::FIELD_TYPE_DECIMAL);
    price->set_required(true);
    spec->set_policy(policy);
    p.keys.bidder_fingerprint = "fp-bidder";
    p.keys.bidder_public = bidder_.public_key;
    if (policy != v1::OPENING_POLICY_BIDDER) {
      spec->set_threshold(threshold);
      for (size_t i = 0; i < custodians_.size(); ++i) {
        spec->add_custodians(CustodianFp(i));
        p.keys.custodians.emplace_back(CustodianFp(i), custodians_[i].public_key);
      }
    }
    p.form = {{"price", "1000.00"}};
    p.documents = {{"technical.pdf", WriteDoc("technical.pdf", "technical proposal")},
                   {"commercial.xlsx", WriteDoc("commercial.xlsx", std::string(3000, 'c'))}};
    p.chunk_size = 1024;
    return p;
  }

  // Seals `p` into file_ and returns the result.
  SealResult Seal(const SealParams& p) {
    std::ostringstream out;
    auto result = SealBid(p, out);
    EXPECT_TRUE(result.ok()) << result.status();
    file_ = out.str();
    return result.ok() ? *result : SealResult{};
  }

  crypto::Share ShareOf(const v1::SealedHeader& h, size_t i) {
    return *UnwrapCustodianShare(h, CustodianFp(i), custodians_[i].private_key);
  }

  // Opens file_ with `data_key` into sink_.
  absl::StatusOr<v1::BidManifest> OpenWith(const std::string& data_key) {
    std::istringstream in(file_);
    auto reader = SealReader::Open(in);
    if (!reader.ok()) return reader.status();
    sink_ = CollectingSink();
    return ReadBid(*reader, data_key, &sink_);
  }

  SealReader Reader() {
    in_.str(file_);
    auto reader = SealReader::Open(in_);
    EXPECT_TRUE(reader.ok()) << reader.status();
    return *std::move(reader);
  }

  void ExpectOpened(const absl::StatusOr<v1::BidManifest>& manifest, const SealResult& sealed) {
    ASSERT_TRUE(manifest.ok()) << manifest.status();
    EXPECT_TRUE(ProtoEquals(*manifest, sealed.manifest));
    EXPECT_EQ(sink_.manifests, 1);
    EXPECT_EQ(sink_.ended, 2);
    EXPECT_EQ(sink_.order, (std::vector<std::string>{"technical.pdf", "commercial.xlsx"}));
    EXPECT_EQ(sink_.documents["technical.pdf"], "technical proposal");
    EXPECT_EQ(sink_.documents["commercial.xlsx"], std::string(3000, 'c'));
  }

  crypto::X25519KeyPair bidder_;
  std::vector<crypto::X25519KeyPair> custodians_;
  std::string file_;
  std::istringstream in_;
  CollectingSink sink_;
};

TEST_F(SealBidTest, BidderPolicyOpensWithTheBiddersKey) {
  const SealResult sealed = Seal(Params(v1::OPENING_POLICY_BIDDER, 0));
  SealReader reader = Reader();
  EXPECT_EQ(reader.header().policy(), v1::OPENING_POLICY_BIDDER);
  auto key = reader.DataKeyFrom(bidder_.private_key);
  ASSERT_TRUE(key.ok()) << key.status();
  ExpectOpened(OpenWith(*key), sealed);
  EXPECT_TRUE(StatusIs(reader.DataKeyFrom(custodians_[0].private_key), absl::StatusCode::kDataLoss,
                       {"recipient fp-bidder"}));
}

TEST_F(SealBidTest, ResultDescribesTheFileAndTheManifest) {
  const SealResult sealed = Seal(Params(v1::OPENING_POLICY_BIDDER, 0));
  EXPECT_EQ(sealed.ciphertext_size, file_.size());
  EXPECT_EQ(sealed.ciphertext_sha256, crypto::Sha256(file_));
  EXPECT_EQ(sealed.header_hash, Reader().header_hash());
  EXPECT_EQ(sealed.header_hash, crypto::Sha256(Reader().header_bytes()));
  EXPECT_EQ(sealed.manifest_sha256, sealed.header.manifest_sha256());
  EXPECT_EQ(sealed.manifest_sha256, crypto::Sha256(EncodeManifest(sealed.manifest)));
  ASSERT_EQ(sealed.manifest.documents_size(), 2);
  EXPECT_EQ(sealed.manifest.documents(0).sha256(), crypto::Sha256("technical proposal"));
  EXPECT_EQ(sealed.manifest.documents(1).size(), 3000u);
  EXPECT_EQ(sealed.manifest.documents(1).sha256(), crypto::Sha256(std::string(3000, 'c')));
  ASSERT_EQ(sealed.manifest.values_size(), 1);
  EXPECT_EQ(sealed.manifest.values(0).value(), "1000.00");
  EXPECT_EQ(sealed.header.suite(), "BO1-X25519-HKDF-SHA256-AES256GCM");
  EXPECT_EQ(sealed.header.chunk_size(), 1024u);
  EXPECT_EQ(sealed.header.nonce_prefix().size(), 7u);
}

TEST_F(SealBidTest, QuorumOpensWithEachPairOfCustodians) {
  const SealResult sealed = Seal(Params(v1::OPENING_POLICY_QUORUM, 2));
  SealReader reader = Reader();
  const v1::SealedHeader& h = reader.header();
  EXPECT_TRUE(StatusIs(reader.DataKeyFrom(bidder_.private_key),
                       absl::StatusCode::kFailedPrecondition, {"not wrapped to the bidder"}));
  for (size_t a = 0; a < 3; ++a)
    for (size_t b = a + 1; b < 3; ++b) {
      auto key = reader.DataKeyFromShares({ShareOf(h, a), ShareOf(h, b)});
      ASSERT_TRUE(key.ok()) << key.status();
      ExpectOpened(OpenWith(*key), sealed);
    }
  EXPECT_TRUE(StatusIs(reader.DataKeyFromShares({ShareOf(h, 1)}),
                       absl::StatusCode::kFailedPrecondition,
                       {"needs 2 of 3 custodian shares; 1 released"}));
}

TEST_F(SealBidTest, AnyOpensThroughEitherPath) {
  const SealResult sealed = Seal(Params(v1::OPENING_POLICY_ANY, 2));
  SealReader reader = Reader();
  ExpectOpened(OpenWith(*reader.DataKeyFrom(bidder_.private_key)), sealed);
  const v1::SealedHeader& h = reader.header();
  ExpectOpened(OpenWith(*reader.DataKeyFromShares({ShareOf(h, 0), ShareOf(h, 2)})), sealed);
}

TEST_F(SealBidTest, UnspecifiedPolicyIsSealedAsAny) {
  Seal(Params(v1::OPENING_POLICY_UNSPECIFIED, 2));
  EXPECT_EQ(Reader().header().policy(), v1::OPENING_POLICY_ANY);
}

TEST_F(SealBidTest, BothNeedsTheBidderAndTheQuorum) {
  const SealResult sealed = Seal(Params(v1::OPENING_POLICY_BOTH, 2));
  SealReader reader = Reader();
  const v1::SealedHeader& h = reader.header();
  EXPECT_TRUE(StatusIs(reader.DataKeyFrom(bidder_.private_key),
                       absl::StatusCode::kFailedPrecondition, {"needs 2 of 3 custodian shares"}));
  EXPECT_TRUE(StatusIs(reader.DataKeyFromShares({ShareOf(h, 0), ShareOf(h, 1)}),
                       absl::StatusCode::kFailedPrecondition, {"needs the bidder's key"}));
  auto bidder_part = UnwrapBidderSecret(h, bidder_.private_key);
  ASSERT_TRUE(bidder_part.ok());
  auto key = DataKeyFrom(h, {*bidder_part, {ShareOf(h, 1), ShareOf(h, 2)}});
  ASSERT_TRUE(key.ok()) << key.status();
  ExpectOpened(OpenWith(*key), sealed);
  // Either part alone, used as the key, opens nothing.
  EXPECT_TRUE(StatusIs(OpenWith(*bidder_part), absl::StatusCode::kDataLoss, {"chunk 0"}));
}

TEST_F(SealBidTest, DocumentsAroundChunkBoundaries) {
  SealParams p = Params(v1::OPENING_POLICY_BIDDER, 0);
  p.documents.clear();
  for (size_t size : {0, 1, 1023, 1024, 1025, 3072}) {
    const std::string name = absl::StrCat("doc-", size);
    p.documents.push_back({name, WriteDoc(name, std::string(size, static_cast<char>(size)))});
  }
  const SealResult sealed = Seal(p);
  auto manifest = OpenWith(*Reader().DataKeyFrom(bidder_.private_key));
  ASSERT_TRUE(manifest.ok()) << manifest.status();
  EXPECT_EQ(sink_.ended, 6);
  for (const v1::Document& doc : manifest->documents()) {
    const std::string& got = sink_.documents[doc.name()];
    EXPECT_EQ(got.size(), doc.size());
    EXPECT_EQ(crypto::Sha256(got), doc.sha256()) << doc.name();
    EXPECT_EQ(got, std::string(doc.size(), static_cast<char>(doc.size())));
  }
}

TEST_F(SealBidTest, PlaintextStreamsWhoseLengthIsAWholeNumberOfChunks) {
  // Manifest prefix + one document sized so the plaintext is exactly 2 chunks.
  SealParams p = Params(v1::OPENING_POLICY_BIDDER, 0);
  p.documents = {{"d", WriteDoc("d", "")}};
  const SealResult probe = Seal(p);
  const size_t prefix = 4 + EncodeManifest(probe.manifest).size();
  for (size_t total : {size_t{2048}, size_t{2047}, size_t{2049}}) {
    const size_t doc_size = total - prefix;
    p.documents = {{"d", WriteDoc("d", std::string(doc_size, 'd'))}};
    const SealResult sealed = Seal(p);
    const size_t header_end = 17 + 4 + EncodeHeader(sealed.header).size();
    // Encoding the size may take another byte in the manifest: recompute.
    const size_t plain = 4 + EncodeManifest(sealed.manifest).size() + doc_size;
    EXPECT_EQ(file_.size(), header_end + plain / 1024 * 1040 + plain % 1024 + 16);
    auto manifest = OpenWith(*Reader().DataKeyFrom(bidder_.private_key));
    ASSERT_TRUE(manifest.ok()) << manifest.status() << " total " << total;
    EXPECT_EQ(sink_.documents["d"].size(), doc_size);
  }
}

TEST_F(SealBidTest, FormValueErrorsRefuseSealingAndWriteNothing) {
  SealParams p = Params(v1::OPENING_POLICY_BIDDER, 0);
  p.form = {{"price", "12,5"}};
  std::ostringstream out;
  EXPECT_TRUE(InvalidField(
      SealBid(p, out), "form.price",
      {"form.price: \"12,5\" is not a decimal (digits with an optional . and fraction)"}));
  EXPECT_TRUE(out.str().empty());
  p.form = {};
  EXPECT_TRUE(InvalidField(SealBid(p, out), "form.price", {"missing"}));
}

TEST_F(SealBidTest, ParametersAreChecked) {
  SealParams p = Params(v1::OPENING_POLICY_BIDDER, 0);
  p.chunk_size = 512;
  std::ostringstream out;
  EXPECT_TRUE(InvalidField(SealBid(p, out), "chunk_size", {"512 is outside 1024..16777216"}));
  p = Params(v1::OPENING_POLICY_QUORUM, 2);
  p.keys.custodians.pop_back();
  EXPECT_TRUE(StatusIs(SealBid(p, out), absl::StatusCode::kFailedPrecondition,
                       {"custodian fp-custodian-3", "no registered X25519 key"}));
  p = Params(v1::OPENING_POLICY_BIDDER, 0);
  p.keys.bidder_public = "short";
  EXPECT_TRUE(StatusIs(SealBid(p, out), absl::StatusCode::kInvalidArgument,
                       {"X25519 public key of fp-bidder: 5 bytes"}));
}

TEST_F(SealBidTest, WrongDataKeyOpensNothing) {
  Seal(Params(v1::OPENING_POLICY_BIDDER, 0));
  EXPECT_TRUE(StatusIs(OpenWith(std::string(32, 'x')), absl::StatusCode::kDataLoss,
                       {"chunk 0 does not authenticate"}));
  EXPECT_TRUE(sink_.order.empty());
}

// Plaintexts that authenticate but contradict their header or manifest (a
// faulty or malicious sealer): the parser refuses them.
class SealPlaintextTest : public ::testing::Test {
 protected:
  SealPlaintextTest() {
    manifest_.set_tender_id("T-1");
    manifest_.set_lot(1);
    manifest_.set_bidder("fp-bidder");
    v1::Document* doc = manifest_.add_documents();
    doc->set_name("a.txt");
    doc->set_size(10);
    doc->set_sha256(crypto::Sha256("0123456789"));
  }

  v1::SealedHeader Header(const std::string& manifest_bytes) {
    v1::SealedHeader h;
    h.set_suite(std::string(kSuiteX25519Aes));
    h.set_tender_id("T-1");
    h.set_lot(1);
    h.set_bidder("fp-bidder");
    h.set_chunk_size(1024);
    h.set_nonce_prefix("1234567");
    h.set_manifest_sha256(crypto::Sha256(manifest_bytes));
    h.set_policy(v1::OPENING_POLICY_BIDDER);
    v1::Recipient* r = h.add_recipients();
    r->set_kind(v1::RECIPIENT_KIND_BIDDER_KEY);
    r->set_fingerprint("fp-bidder");
    r->set_ephemeral_public(std::string(32, 'e'));
    r->set_wrapped(std::string(48, 'w'));
    return h;
  }

  absl::StatusOr<v1::BidManifest> Read(const v1::SealedHeader& header,
                                       const std::string& plaintext) {
    std::ostringstream out;
    SealWriter writer(out);
    EXPECT_TRUE(writer.Begin(header, key_).ok());
    EXPECT_TRUE(writer.Write(plaintext).ok());
    EXPECT_TRUE(writer.Finish().ok());
    std::istringstream in(out.str());
    auto reader = SealReader::Open(in);
    if (!reader.ok()) return reader.status();
    return ReadBid(*reader, key_, nullptr);
  }

  absl::StatusOr<v1::BidManifest> Read(const std::string& document) {
    const std::string bytes = EncodeManifest(manifest_);
    return Read(Header(bytes), PlaintextPrefix(bytes) + document);
  }

  v1::BidManifest manifest_;
  std::string key_ = std::string(32, 'K');
};

TEST_F(SealPlaintextTest, WellFormedPlaintextReads) {
  auto m = Read("0123456789");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_TRUE(ProtoEquals(*m, manifest_));
}

TEST_F(SealPlaintextTest, DocumentEndingEarlyOrExtraBytesOrOtherContent) {
  EXPECT_TRUE(StatusIs(Read("012"), absl::StatusCode::kDataLoss,
                       {"ends inside document 0 (a.txt) after 3 of 10 bytes"}));
  EXPECT_TRUE(StatusIs(Read("0123456789!"), absl::StatusCode::kDataLoss,
                       {"1 bytes of plaintext after the last document"}));
  EXPECT_TRUE(StatusIs(Read("0123456780"), absl::StatusCode::kDataLoss,
                       {"document 0 (a.txt): its SHA-256 differs from the manifest"}));
}

TEST_F(SealPlaintextTest, ManifestMustMatchTheHeader) {
  const std::string bytes = EncodeManifest(manifest_);
  EXPECT_TRUE(StatusIs(Read(Header("other"), PlaintextPrefix(bytes) + "0123456789"),
                       absl::StatusCode::kDataLoss,
                       {"manifest's SHA-256 differs from manifest_sha256 in the header"}));
  manifest_.set_bidder("fp-someone-else");
  EXPECT_TRUE(StatusIs(Read("0123456789"), absl::StatusCode::kDataLoss,
                       {"the manifest names bidder \"fp-someone-else\""}));
  EXPECT_TRUE(StatusIs(Read(Header(bytes), std::string("\x00\x00", 2)), absl::StatusCode::kDataLoss,
                       {"ends inside the manifest"}));
}

TEST_F(SealBidTest, CiphertextHashIsOptionalAndTheFileIsTheSame) {
  SealParams p = Params(v1::OPENING_POLICY_BIDDER, 0);
  const SealResult hashed = Seal(p);
  EXPECT_EQ(hashed.ciphertext_sha256, crypto::Sha256(file_));
  p.hash_ciphertext = false;
  const SealResult unhashed = Seal(p);
  EXPECT_TRUE(unhashed.ciphertext_sha256.empty());
  EXPECT_EQ(unhashed.ciphertext_size, file_.size());
  auto key = Reader().DataKeyFrom(bidder_.private_key);
  ASSERT_TRUE(key.ok()) << key.status();
  ExpectOpened(OpenWith(*key), unhashed);
}

TEST(FileStampTest, AStampChangesWithTheFileAndOnlyThen) {
  const std::string path = testing::TempPath("file_stamp");
  std::ofstream(path, std::ios::binary) << "first";
  auto before = StampOf("doc", path);
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(*StampOf("doc", path), *before);
  absl::SleepFor(absl::Milliseconds(20));  // file times tick with the kernel's clock
  std::ofstream(path, std::ios::binary) << "other";
  EXPECT_NE(*StampOf("doc", path), *before) << "same size, new contents";
  EXPECT_TRUE(StatusIs(StampOf("documents[3]", path + ".missing").status(),
                       absl::StatusCode::kNotFound, {"documents[3]: cannot open"}));
}

}  // namespace
}  // namespace bidopen::seal
