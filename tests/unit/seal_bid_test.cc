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
#include "core/seal/context.h"
#include "core/seal/env.h"
#include "core/seal/header.h"
#include "core/seal/release_check.h"
#include "core/seal/stream_reader.h"
#include "core/seal/stream_writer.h"
#include "core/seal/values_section.h"
#include "platform/file_env.h"
#include "platform/file_source.h"
#include "platform/seal_file.h"
#include "tests/support/counting_random.h"
#include "tests/unit/assertions.h"

namespace bidopen::seal {
namespace {

using ::bidopen::testing::InvalidField;
using ::bidopen::testing::ProtoEquals;
using ::bidopen::testing::StatusIs;

// Keeps what an opened bid delivers, and whether it was committed.
class CollectingSink : public BidSink {
 public:
  absl::Status OnValues(const std::vector<v1::FormValue>& v) override {
    values++;
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
  absl::Status Commit(const v1::BidManifest& opened) override {
    committed++;
    return absl::OkStatus();
  }
  void Discard(const absl::Status& why) override { discarded++; }
  int values = 0;
  int committed = 0;
  int discarded = 0;
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
    p.env = &platform::DefaultFileEnv();
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

  // Custodians `which` release their keys; the verdict's secret.
  std::string QuorumSecret(const v1::SealedHeader& h, std::initializer_list<size_t> which,
                           std::optional<std::string> bidder = std::nullopt) {
    Releases r;
    if (bidder) r.bidder_secret = crypto::Secret(*bidder);
    for (size_t i : which)
      for (const v1::Recipient& rc : h.recipients())
        if (rc.kind() == v1::RECIPIENT_KIND_CUSTODIAN_SHARE && rc.share_x() == i + 1)
          r.custodians.push_back(
              {rc.share_x(), rc.fingerprint(), crypto::Secret(custodians_[i].private_key)});
    auto j = JudgeReleasesForTesting(h, r);
    EXPECT_TRUE(j.ok()) << j.status();
    if (!j.ok()) return "";
    EXPECT_EQ(j->verdict, Verdict::kOk) << j->message;
    return j->secret.bytes();
  }

  // Opens `file` (default file_) with the bid secret into sink_.
  absl::StatusOr<v1::BidManifest> OpenWith(const std::string& secret,
                                           const std::string* file = nullptr) {
    std::istringstream in(file != nullptr ? *file : file_);
    auto reader = SealReader::Open(in);
    if (!reader.ok()) return reader.status();
    sink_ = CollectingSink();
    return ReadBid(*reader, secret, &sink_);
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
    EXPECT_EQ(sink_.values, 1);
    EXPECT_EQ(sink_.committed, 1);
    EXPECT_EQ(sink_.discarded, 0);
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
  auto secret = reader.SecretFrom(bidder_.private_key);
  ASSERT_TRUE(secret.ok()) << secret.status();
  EXPECT_EQ(secret->bytes(), sealed.secret.bytes());
  ExpectOpened(OpenWith(secret->bytes()), sealed);
  EXPECT_TRUE(StatusIs(reader.SecretFrom(custodians_[0].private_key), absl::StatusCode::kDataLoss,
                       {"recipient fp-bidder"}));
}

TEST_F(SealBidTest, ResultDescribesTheFileAndWhatWasSealed) {
  const SealResult sealed = Seal(Params(v1::OPENING_POLICY_BIDDER, 0));
  EXPECT_EQ(sealed.ciphertext_size, file_.size());
  EXPECT_EQ(sealed.ciphertext_size, Reader().file_size());
  EXPECT_EQ(sealed.ciphertext_sha256, crypto::Sha256(file_));
  EXPECT_EQ(sealed.header_hash, Reader().header_hash());
  EXPECT_EQ(sealed.header_hash, HeaderHash(Reader().header_bytes()));
  ASSERT_EQ(sealed.manifest.documents_size(), 2);
  EXPECT_EQ(sealed.manifest.documents(0).sha256(), crypto::Sha256("technical proposal"));
  EXPECT_EQ(sealed.manifest.documents(1).size(), 3000u);
  EXPECT_EQ(sealed.manifest.documents(1).sha256(), crypto::Sha256(std::string(3000, 'c')));
  ASSERT_EQ(sealed.manifest.values_size(), 1);
  EXPECT_EQ(sealed.manifest.values(0).value(), "1000.00");
  EXPECT_EQ(sealed.header.suite(), "BO1-X25519-HKDF-SHA256-AES256GCM");
  EXPECT_EQ(sealed.header.chunk_size(), 1024u);
  EXPECT_EQ(sealed.header.bid_id().size(), 16u);
  EXPECT_EQ(sealed.header.values_size(), 4u + 8 + 5 + 41);
  // values, table (4 + 2 x (4 + name + 8)), documents, 2 hashes.
  EXPECT_EQ(sealed.header.plaintext_size(), 58u + 4 + 25 + 27 + 18 + 3000 + 64);
}

TEST_F(SealBidTest, QuorumOpensWithEachPairOfCustodians) {
  const SealResult sealed = Seal(Params(v1::OPENING_POLICY_QUORUM, 2));
  SealReader reader = Reader();
  const v1::SealedHeader& h = reader.header();
  EXPECT_TRUE(StatusIs(reader.SecretFrom(bidder_.private_key),
                       absl::StatusCode::kFailedPrecondition, {"not wrapped to the bidder"}));
  for (size_t a = 0; a < 3; ++a)
    for (size_t b = a + 1; b < 3; ++b) ExpectOpened(OpenWith(QuorumSecret(h, {a, b})), sealed);
}

TEST_F(SealBidTest, AnyOpensThroughEitherPath) {
  const SealResult sealed = Seal(Params(v1::OPENING_POLICY_ANY, 2));
  SealReader reader = Reader();
  ExpectOpened(OpenWith(reader.SecretFrom(bidder_.private_key)->bytes()), sealed);
  ExpectOpened(OpenWith(QuorumSecret(reader.header(), {0, 2})), sealed);
}

TEST_F(SealBidTest, UnspecifiedPolicyIsSealedAsAny) {
  Seal(Params(v1::OPENING_POLICY_UNSPECIFIED, 2));
  EXPECT_EQ(Reader().header().policy(), v1::OPENING_POLICY_ANY);
}

TEST_F(SealBidTest, BothNeedsTheBidderAndTheQuorum) {
  const SealResult sealed = Seal(Params(v1::OPENING_POLICY_BOTH, 2));
  SealReader reader = Reader();
  const v1::SealedHeader& h = reader.header();
  auto bidder_part = UnwrapBidderSecret(h, bidder_.private_key);
  ASSERT_TRUE(bidder_part.ok());
  ExpectOpened(OpenWith(QuorumSecret(h, {1, 2}, bidder_part->bytes())), sealed);
  // A part alone, used as the secret, decrypts nothing.
  EXPECT_TRUE(StatusIs(OpenWith(bidder_part->bytes()), absl::StatusCode::kDataLoss,
                       {"does not match secret_commitment", "nothing was decrypted"}));
}

TEST_F(SealBidTest, DocumentsAroundChunkBoundaries) {
  SealParams p = Params(v1::OPENING_POLICY_BIDDER, 0);
  p.documents.clear();
  for (size_t size : {0, 1, 1023, 1024, 1025, 3072, 600000}) {
    const std::string name = absl::StrCat("doc-", size);
    p.documents.push_back({name, WriteDoc(name, std::string(size, static_cast<char>(size)))});
  }
  const SealResult sealed = Seal(p);
  auto manifest = OpenWith(sealed.secret.bytes());
  ASSERT_TRUE(manifest.ok()) << manifest.status();
  EXPECT_EQ(sink_.order.size(), 7u);
  for (const v1::Document& doc : manifest->documents()) {
    const std::string& got = sink_.documents[doc.name()];
    EXPECT_EQ(got.size(), doc.size());
    EXPECT_EQ(crypto::Sha256(got), doc.sha256()) << doc.name();
    EXPECT_EQ(got, std::string(doc.size(), static_cast<char>(doc.size())));
  }
}

TEST_F(SealBidTest, PlaintextStreamsWhoseLengthIsAWholeNumberOfChunks) {
  SealParams p = Params(v1::OPENING_POLICY_BIDDER, 0);
  p.documents = {{"d", WriteDoc("d", "")}};
  const uint64_t empty = Seal(p).header.plaintext_size();
  for (uint64_t total : {uint64_t{2048}, uint64_t{2047}, uint64_t{2049}}) {
    const size_t doc_size = total - empty;
    p.documents = {{"d", WriteDoc("d", std::string(doc_size, 'd'))}};
    const SealResult sealed = Seal(p);
    EXPECT_EQ(sealed.header.plaintext_size(), total);
    const size_t header_end = 17 + 4 + EncodeHeader(sealed.header).size();
    EXPECT_EQ(file_.size(), header_end + total / 1024 * 1040 + total % 1024 + 16);
    auto manifest = OpenWith(sealed.secret.bytes());
    ASSERT_TRUE(manifest.ok()) << manifest.status() << " total " << total;
    EXPECT_EQ(sink_.documents["d"].size(), doc_size);
  }
}

// The guessing attack (issue 8): nothing in clear is a function of the
// plaintext alone. With the same randomness, a bid that differs only in its
// price differs in clear only in the hiding values commitment and in what it
// binds (wrapped secrets, ciphertext); its size is the same whatever the digits.
TEST_F(SealBidTest, OnlyHidingCommitmentsChangeWithThePriceAndNotTheSize) {
  SealParams p = Params(v1::OPENING_POLICY_ANY, 2);
  p.documents.clear();
  testing::CountingRandom r1, r2;
  p.random = &r1;
  const SealResult cheap = Seal(p);
  const std::string cheap_file = file_;
  p.random = &r2;
  p.form = {{"price", "98765432109876.54321"}};
  const SealResult dear = Seal(p);
  EXPECT_EQ(cheap_file.size(), file_.size());
  v1::SealedHeader a = cheap.header, b = dear.header;
  EXPECT_NE(a.values_commitment(), b.values_commitment());
  for (v1::SealedHeader* h : {&a, &b}) {
    h->clear_values_commitment();
    for (v1::Recipient& rc : *h->mutable_recipients()) rc.clear_wrapped();
  }
  EXPECT_TRUE(ProtoEquals(a, b));  // bid id, sizes, keys, every other commitment
  // Fresh randomness: the same price commits differently every time.
  p.random = nullptr;
  EXPECT_NE(Seal(p).header.values_commitment(), Seal(p).header.values_commitment());
}

TEST_F(SealBidTest, TheValuesCommitmentOpensWithRvAlone) {
  const SealResult sealed = Seal(Params(v1::OPENING_POLICY_BIDDER, 0));
  const std::string ctx = ContextHash(sealed.header);
  auto rv = DeriveKey(sealed.secret.view(), kValuesKeyLabel, ctx);
  ASSERT_TRUE(rv.ok());
  const std::vector<v1::FormValue> values(sealed.manifest.values().begin(),
                                          sealed.manifest.values().end());
  EXPECT_EQ(ValuesCommitment(ctx, rv->view(), ValuesEncoding(values)),
            sealed.header.values_commitment());
  std::vector<v1::FormValue> other = values;
  other[0].set_value("1000.01");
  EXPECT_NE(ValuesCommitment(ctx, rv->view(), ValuesEncoding(other)),
            sealed.header.values_commitment());
  // r_v is neither s nor the payload key.
  EXPECT_NE(rv->bytes(), sealed.secret.bytes());
  EXPECT_NE(rv->bytes(), PayloadKey(sealed.secret.view(), ctx)->bytes());
}

// Each damaged file of issue 8: the reader refuses it, and the sink is told
// to discard what it saw instead of being committed.
TEST_F(SealBidTest, DamagedFilesAreRefusedAndNothingIsCommitted) {
  SealParams p = Params(v1::OPENING_POLICY_BIDDER, 0);
  const SealResult sealed = Seal(p);
  const std::string good = file_;
  const size_t payload = 17 + 4 + EncodeHeader(sealed.header).size();
  std::string swapped = good;
  std::swap_ranges(swapped.begin() + payload, swapped.begin() + payload + 1040,
                   swapped.begin() + payload + 1040);
  std::string flipped = good;
  flipped[good.size() - 20] ^= 0x01;
  const std::vector<std::pair<std::string, std::string>> damaged = {
      {good.substr(0, good.size() - 1), "truncated"},
      {good + "x", "1 bytes follow the final chunk"},
      {swapped, "chunk 0 does not authenticate"},
      {flipped, "chunk 3 does not authenticate as the final chunk"}};
  for (const auto& [file, says] : damaged) {
    EXPECT_TRUE(
        StatusIs(OpenWith(sealed.secret.bytes(), &file), absl::StatusCode::kDataLoss, {says}));
    EXPECT_EQ(sink_.committed, 0) << says;
    EXPECT_EQ(sink_.discarded, 1) << says;
  }
  ExpectOpened(OpenWith(sealed.secret.bytes(), &good), sealed);
}

TEST_F(SealBidTest, TheOpeningAppliesTheLotsFormAgain) {
  SealParams p = Params(v1::OPENING_POLICY_BIDDER, 0);
  const SealResult sealed = Seal(p);
  std::istringstream in(file_);
  auto reader = SealReader::Open(in);
  ASSERT_TRUE(reader.ok());
  v1::LotSpec other = p.lot.spec();
  other.mutable_form(0)->set_type(v1::FIELD_TYPE_INT);  // "1000.00" is not an int
  CollectingSink sink;
  EXPECT_TRUE(StatusIs(ReadBid(*reader, sealed.secret.bytes(), &sink, &other),
                       absl::StatusCode::kInvalidArgument, {"values: form.price"}));
  EXPECT_EQ(sink.committed, 0);
}

TEST_F(SealBidTest, RepeatedDocumentNamesAreRefused) {
  SealParams p = Params(v1::OPENING_POLICY_BIDDER, 0);
  p.documents[1].name = "technical.pdf";
  std::ostringstream out;
  EXPECT_TRUE(InvalidField(SealBid(p, out), "documents[1].name", {"used twice"}));
  p.documents[1].name = "../etc";
  EXPECT_TRUE(InvalidField(SealBid(p, out), "documents[1].name", {"'/'"}));
  p.documents[1] = {"", testing::TempPath("missing.pdf")};
  EXPECT_TRUE(StatusIs(SealBid(p, out), absl::StatusCode::kNotFound,
                       {"documents[1]: cannot open", "missing.pdf"}));
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

TEST_F(SealBidTest, AWrongSecretDecryptsNothing) {
  Seal(Params(v1::OPENING_POLICY_BIDDER, 0));
  EXPECT_TRUE(StatusIs(OpenWith(std::string(32, 'x')), absl::StatusCode::kDataLoss,
                       {"does not match secret_commitment"}));
  EXPECT_TRUE(sink_.order.empty());
  EXPECT_EQ(sink_.values, 0);
}

// Plaintexts that authenticate but contradict their header (a faulty or
// malicious sealer): the parser refuses them, strictly.
class SealPlaintextTest : public ::testing::Test {
 protected:
  // A BIDDER header for this plaintext, committing to key_ and `values`.
  v1::SealedHeader Header(uint64_t plaintext_size, const std::string& values_encoding,
                          uint32_t values_size = 64) {
    v1::SealedHeader h;
    h.set_suite(std::string(kSuiteX25519Aes));
    h.set_bid_id(std::string(16, 'i'));
    h.set_tender_id("T-1");
    h.set_lot(1);
    h.set_bidder("fp-bidder");
    h.set_chunk_size(1024);
    h.set_values_size(values_size);
    h.set_plaintext_size(plaintext_size);
    h.set_policy(v1::OPENING_POLICY_BIDDER);
    v1::Recipient* r = h.add_recipients();
    r->set_kind(v1::RECIPIENT_KIND_BIDDER_KEY);
    r->set_fingerprint("fp-bidder");
    r->set_public_key(std::string(32, 'p'));
    r->set_ephemeral_public(std::string(32, 'e'));
    r->set_wrapped(std::string(48, 'w'));
    const std::string ctx = ContextHash(h);
    h.set_secret_commitment(SecretCommitment(kSecretLabel, ctx, key_));
    h.set_values_commitment(
        ValuesCommitment(ctx, DeriveKey(key_, kValuesKeyLabel, ctx)->view(), values_encoding));
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

  // Values (price=1.5), a table of one document a.txt (10 bytes), `document`
  // and `hash`; the header says the plaintext is `size` bytes (0: the real one).
  absl::StatusOr<v1::BidManifest> Read(const std::string& document, std::string hash = "",
                                       uint64_t size = 0, std::string table = "") {
    const std::string values = ValuesEncoding({Value("price", "1.5")});
    if (hash.empty()) hash = crypto::Sha256("0123456789");
    if (table.empty()) {
      v1::Document d;
      d.set_name("a.txt");
      d.set_size(10);
      table = DocumentTable({d});
    }
    const std::string plain = ValuesSection(values, 64) + table + document + hash;
    return Read(Header(size != 0 ? size : plain.size(), values), plain);
  }

  static v1::FormValue Value(const std::string& name, const std::string& value) {
    v1::FormValue v;
    v.set_name(name);
    v.set_value(value);
    return v;
  }

  std::string key_ = std::string(32, 'K');
};

TEST_F(SealPlaintextTest, WellFormedPlaintextReads) {
  auto m = Read("0123456789");
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->values_size(), 1);
  EXPECT_EQ(m->values(0).value(), "1.5");
  ASSERT_EQ(m->documents_size(), 1);
  EXPECT_EQ(m->documents(0).sha256(), crypto::Sha256("0123456789"));
}

TEST_F(SealPlaintextTest, DocumentsThatContradictTheTableOrTheFinalPart) {
  EXPECT_TRUE(StatusIs(Read("0123456780"), absl::StatusCode::kDataLoss,
                       {"document 0 (a.txt): its SHA-256 differs from the one in the final part"}));
  EXPECT_TRUE(StatusIs(Read("0123456789", std::string(32, 'h'), 0), absl::StatusCode::kDataLoss,
                       {"differs from the one in the final part"}));
  v1::Document longer;
  longer.set_name("a.txt");
  longer.set_size(11);
  EXPECT_TRUE(StatusIs(
      Read("0123456789", "", 0, DocumentTable({longer})), absl::StatusCode::kDataLoss,
      {"the document table adds up to more than 127 bytes of plaintext", "plaintext_size 127"}));
  longer.set_size(~uint64_t{0});  // one document alone larger than the plaintext
  EXPECT_TRUE(StatusIs(
      Read("0123456789", "", 0, DocumentTable({longer})), absl::StatusCode::kDataLoss,
      {"the document table adds up to more than 127 bytes of plaintext", "plaintext_size 127"}));
}

TEST_F(SealPlaintextTest, TheDocumentTableIsStrict) {
  v1::Document d;
  d.set_name("a.txt");
  d.set_size(5);
  EXPECT_TRUE(StatusIs(Read("0123456789", crypto::Sha256("01234") + crypto::Sha256("56789"), 0,
                            DocumentTable({d, d})),
                       absl::StatusCode::kDataLoss, {"documents[1].name \"a.txt\" is used twice"}));
  d.set_name("a/b");
  EXPECT_TRUE(StatusIs(Read("0123456789", "", 0, DocumentTable({d})), absl::StatusCode::kDataLoss,
                       {"documents[0].name", "'/'"}));
}

TEST_F(SealPlaintextTest, TheValuesSectionIsStrictAndCommitted) {
  const std::string values = ValuesEncoding({Value("price", "1.5")});
  const std::string rest = DocumentTable({});
  std::string section = ValuesSection(values, 64);
  EXPECT_TRUE(Read(Header(64 + 4, values), section + rest).ok());
  EXPECT_TRUE(StatusIs(Read(Header(64 + 4, values),
                            ValuesSection(ValuesEncoding({Value("price", "1.6")}), 64) + rest),
                       absl::StatusCode::kDataLoss,
                       {"does not match values_commitment in the header"}));
  std::string padded = section;
  padded[63] = 'x';
  EXPECT_TRUE(StatusIs(Read(Header(64 + 4, values), padded + rest), absl::StatusCode::kDataLoss,
                       {"values section: the padding after the encoding is not all zero bytes"}));
  const std::string twice = ValuesEncoding({Value("price", "1"), Value("price", "2")});
  EXPECT_TRUE(StatusIs(Read(Header(64 + 4, twice), ValuesSection(twice, 64) + rest),
                       absl::StatusCode::kDataLoss, {"value 1: the name \"price\" is used twice"}));
  std::string long_length = section;
  long_length[3] = 61;
  EXPECT_TRUE(StatusIs(Read(Header(64 + 4, values), long_length + rest),
                       absl::StatusCode::kDataLoss,
                       {"encoding length 61 exceeds the section's 60"}));
}

TEST_F(SealPlaintextTest, APlaintextLongerOrShorterThanItsTableIsRefused) {
  EXPECT_TRUE(StatusIs(Read("0123456789", crypto::Sha256("0123456789") + "!"),
                       absl::StatusCode::kDataLoss,
                       {"adds up to 127 bytes", "plaintext_size 128"}));
  EXPECT_TRUE(StatusIs(Read("0123456789", crypto::Sha256("0123456789").substr(0, 31)),
                       absl::StatusCode::kDataLoss,
                       {"adds up to more than 126 bytes", "plaintext_size 126"}));
}

TEST_F(SealBidTest, CiphertextHashIsOptionalAndTheFileIsTheSame) {
  SealParams p = Params(v1::OPENING_POLICY_BIDDER, 0);
  const SealResult hashed = Seal(p);
  EXPECT_EQ(hashed.ciphertext_sha256, crypto::Sha256(file_));
  p.hash_ciphertext = false;
  const SealResult unhashed = Seal(p);
  EXPECT_TRUE(unhashed.ciphertext_sha256.empty());
  EXPECT_EQ(unhashed.ciphertext_size, file_.size());
  ExpectOpened(OpenWith(unhashed.secret.bytes()), unhashed);
}

// What `bid seal` does: the file written on a third thread is the same file,
// byte for byte; it is not hashed (FILE.seal needs no hash: bid submit opens
// every chunk with the kept secret instead).
TEST_F(SealBidTest, SealingToAFileWritesTheSameBytes) {
  SealParams p = Params(v1::OPENING_POLICY_ANY, 2);
  p.documents.push_back({"big.bin", WriteDoc("big.bin", std::string(700000, 'b'))});
  testing::CountingRandom r1, r2;
  p.random = &r1;
  const SealResult in_memory = Seal(p);
  p.random = &r2;
  const std::string path = testing::TempPath("sealed_to_file.bid");
  auto to_file = platform::SealBidToFile(p, path);
  ASSERT_TRUE(to_file.ok()) << to_file.status();
  std::ifstream in(path, std::ios::binary);
  const std::string written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_TRUE(written == file_);
  EXPECT_TRUE(to_file->ciphertext_sha256.empty());
  EXPECT_EQ(to_file->ciphertext_size, written.size());
  EXPECT_TRUE(StatusIs(platform::SealBidToFile(p, testing::TempPath("no/such/dir/x.bid")),
                       absl::StatusCode::kPermissionDenied, {"cannot write"}));
}

// A document that is not what it was when sealing began (an Env of the test's
// own: core reads nothing itself).
class ChangingDocument : public DocumentReader {
 public:
  ChangingDocument(uint64_t size, std::string bytes, bool changed)
      : size_(size), bytes_(std::move(bytes)), changed_(changed) {}
  uint64_t size() const override { return size_; }
  absl::Status ForEachPiece(const PieceFn& fn, const ReadFn& on_read) override {
    if (on_read) on_read(bytes_);
    return fn(bytes_);
  }
  absl::Status CheckUnchanged() override {
    return changed_ ? absl::FailedPreconditionError("documents[0]: its stamp changed")
                    : absl::OkStatus();
  }

 private:
  uint64_t size_;
  std::string bytes_;
  bool changed_;
};

class ChangingEnv : public Env {
 public:
  ChangingEnv(uint64_t size, std::string bytes, bool changed)
      : size_(size), bytes_(std::move(bytes)), changed_(changed) {}
  absl::StatusOr<std::unique_ptr<DocumentReader>> OpenDocument(absl::string_view,
                                                               const std::string&) override {
    return std::make_unique<ChangingDocument>(size_, bytes_, changed_);
  }

 private:
  uint64_t size_;
  std::string bytes_;
  bool changed_;
};

TEST_F(SealBidTest, ADocumentThatChangesWhileItIsSealedFailsTheSeal) {
  SealParams p = Params(v1::OPENING_POLICY_BIDDER, 0);
  p.documents = {{"offer.pdf", "/in/the/env"}};
  std::ostringstream out;
  ChangingEnv longer(5, "123456", false), shorter(7, "123456", false), stamp(6, "123456", true);
  for (ChangingEnv* env : {&longer, &shorter}) {
    p.env = env;
    EXPECT_TRUE(StatusIs(
        SealBid(p, out), absl::StatusCode::kFailedPrecondition,
        {"documents[0]: /in/the/env changed while the bid was being sealed", "seal it again"}));
  }
  p.env = &stamp;
  EXPECT_TRUE(StatusIs(SealBid(p, out), absl::StatusCode::kFailedPrecondition,
                       {"documents[0]: its stamp changed"}));
  ChangingEnv same(6, "123456", false);
  p.env = &same;
  EXPECT_TRUE(SealBid(p, out).ok());
  p.env = nullptr;
  EXPECT_TRUE(InvalidField(SealBid(p, out), "documents", {"no Env to read them"}));
}

TEST(FileStampTest, AStampChangesWithTheFileAndOnlyThen) {
  const std::string path = testing::TempPath("file_stamp");
  std::ofstream(path, std::ios::binary) << "first";
  auto before = platform::StampOf("doc", path);
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(*platform::StampOf("doc", path), *before);
  absl::SleepFor(absl::Milliseconds(20));  // file times tick with the kernel's clock
  std::ofstream(path, std::ios::binary) << "other";
  EXPECT_NE(*platform::StampOf("doc", path), *before) << "same size, new contents";
  EXPECT_TRUE(StatusIs(platform::StampOf("documents[3]", path + ".missing").status(),
                       absl::StatusCode::kNotFound, {"documents[3]: cannot open"}));
}

}  // namespace
}  // namespace bidopen::seal
