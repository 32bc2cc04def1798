// Known-answer vectors of the sealed-bid format v2 with the counting random
// source (tests/support/counting_random.h). The same values are in
// tests/vectors/seal_v2_vectors.txt, which an independent Python
// implementation of docs/sealed-bid-format.md (tests/vectors/seal_v2_check.py)
// reproduces byte for byte. BIDOPEN_WRITE_VECTORS=FILE writes them anew.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/crypto/sha256.h"
#include "core/crypto/x25519.h"
#include "core/seal/bid_plaintext.h"
#include "core/seal/chunk_cipher.h"
#include "core/seal/context.h"
#include "core/seal/header.h"
#include "core/seal/release_check.h"
#include "core/seal/seal_bid.h"
#include "core/seal/stream_reader.h"
#include "platform/file_env.h"
#include "tests/support/counting_random.h"
#include "tests/unit/assertions.h"

namespace bidopen::seal {
namespace {

using crypto::Hex;

// RFC 7748 §6.1 private keys (Alice's for the bidder, Bob's for custodian 1);
// custodian i's (i = 2, 3) is SHA-256("custodian i").
const std::string kBidderPrivate =
    absl::HexStringToBytes("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
const std::string kCustodianPrivate[3] = {
    absl::HexStringToBytes("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"),
    crypto::Sha256("custodian 2"), crypto::Sha256("custodian 3")};

std::string CustodianFp(int i) {
  return Hex(crypto::Sha256(absl::StrCat("custodian ", i + 1, " certificate")));
}

std::string PublicOf(const std::string& private_key) {
  return *crypto::X25519PublicFromPrivate(private_key);
}

std::string Licence() {
  std::string s(1200, '\0');
  for (size_t i = 0; i < s.size(); ++i) s[i] = static_cast<char>(i % 251);
  return s;
}

const std::pair<v1::OpeningPolicy, const char*> kVectors[] = {{v1::OPENING_POLICY_BIDDER, "BIDDER"},
                                                              {v1::OPENING_POLICY_QUORUM, "QUORUM"},
                                                              {v1::OPENING_POLICY_ANY, "ANY"},
                                                              {v1::OPENING_POLICY_BOTH, "BOTH"}};

class SealVectorTest : public ::testing::Test {
 protected:
  SealParams Params(v1::OpeningPolicy policy) {
    SealParams p;
    p.tender_id = "T-2026-0001";
    p.lot.set_number(1);
    v1::LotSpec* spec = p.lot.mutable_spec();
    AddField(spec, "price", v1::FIELD_TYPE_DECIMAL);
    AddField(spec, "duration_days", v1::FIELD_TYPE_INT);
    spec->set_policy(policy);
    p.keys = {Hex(crypto::Sha256("bidder certificate")), PublicOf(kBidderPrivate), {}};
    if (policy != v1::OPENING_POLICY_BIDDER) {
      spec->set_threshold(2);
      for (int i = 0; i < 3; ++i) {
        spec->add_custodians(CustodianFp(i));
        p.keys.custodians.emplace_back(CustodianFp(i), PublicOf(kCustodianPrivate[i]));
      }
    }
    p.form = {{"price", "1234.50"}, {"duration_days", "90"}};
    p.documents = {{"offer.txt", Write("seal_vector_offer.txt", "bidopen test vector\n")}};
    if (policy == v1::OPENING_POLICY_ANY)  // two chunks
      p.documents.push_back({"licence.bin", Write("seal_vector_licence.bin", Licence())});
    p.chunk_size = 1024;
    p.random = &random_;
    p.env = &platform::DefaultFileEnv();
    return p;
  }

  static std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = testing::TempPath(name);
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  static void AddField(v1::LotSpec* spec, const char* name, v1::FieldType type) {
    v1::FormField* f = spec->add_form();
    f->set_name(name);
    f->set_type(type);
    f->set_required(true);
  }

  // The vector's lines: name -> hex.
  std::map<std::string, std::string> Make(v1::OpeningPolicy policy) {
    std::ostringstream out;
    auto r = SealBid(Params(policy), out);
    EXPECT_TRUE(r.ok()) << r.status();
    const std::string file = out.str();
    const std::string ctx = ContextHash(r->header);
    return {{"header", Hex(EncodeHeader(r->header))},
            {"header_hash", Hex(r->header_hash)},
            {"ctx_hash", Hex(ctx)},
            {"unwrapped_hash", Hex(UnwrappedHeaderHash(r->header))},
            {"secret", Hex(r->secret.bytes())},
            {"payload_key", Hex(PayloadKey(r->secret.view(), ctx)->bytes())},
            {"values_key", Hex(DeriveKey(r->secret.view(), kValuesKeyLabel, ctx)->bytes())},
            {"file", Hex(file)},
            {"file_sha256", Hex(crypto::Sha256(file))}};
  }

  testing::CountingRandom random_;
};

// tests/vectors/seal_v2_vectors.txt: "vector NAME" then "key hex" lines.
std::map<std::string, std::map<std::string, std::string>> ReadVectors() {
  std::ifstream in(BIDOPEN_SOURCE_DIR "/tests/vectors/seal_v2_vectors.txt");
  std::map<std::string, std::map<std::string, std::string>> out;
  std::string line, current;
  while (std::getline(in, line)) {
    std::vector<std::string> parts = absl::StrSplit(line, ' ');
    if (parts.size() != 2) continue;
    if (parts[0] == "vector")
      current = parts[1];
    else
      out[current][parts[0]] = parts[1];
  }
  return out;
}

class SealVectorsTest : public SealVectorTest {};

TEST_F(SealVectorsTest, EachPolicysVectorIsReproducedByteForByte) {
  const auto stored = ReadVectors();
  std::string written;
  for (const auto& [policy, name] : kVectors) {
    random_ = testing::CountingRandom();
    const auto got = Make(policy);
    absl::StrAppend(&written, "vector ", name, "\n");
    for (const char* key : {"header", "header_hash", "ctx_hash", "unwrapped_hash", "secret",
                            "payload_key", "values_key", "file", "file_sha256"})
      absl::StrAppend(&written, key, " ", got.at(key), "\n");
    if (std::getenv("BIDOPEN_WRITE_VECTORS") != nullptr) continue;
    ASSERT_EQ(stored.count(name), 1u) << name << " missing from seal_v2_vectors.txt";
    for (const auto& [key, hex] : got)
      EXPECT_EQ(hex, stored.at(name).at(key)) << name << " " << key;
  }
  if (const char* path = std::getenv("BIDOPEN_WRITE_VECTORS")) std::ofstream(path) << written;
}

TEST_F(SealVectorsTest, TheCountingRandomnessGivesTheDocumentedSecrets) {
  SealParams p = Params(v1::OPENING_POLICY_BIDDER);
  std::ostringstream out;
  auto r = SealBid(p, out);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Hex(r->header.bid_id()), "000102030405060708090a0b0c0d0e0f");
  EXPECT_EQ(Hex(r->secret.bytes()),
            "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f");
  EXPECT_EQ(Hex(r->header.recipients(0).public_key()),
            "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
}

// Every vector opens: with the bidder's key and with custodians' per-lot keys.
TEST_F(SealVectorsTest, VectorsOpenThroughEveryPathTheirPolicyHas) {
  for (const auto& [policy, name] : kVectors) {
    random_ = testing::CountingRandom();
    std::ostringstream out;
    auto sealed = SealBid(Params(policy), out);
    ASSERT_TRUE(sealed.ok());
    const v1::SealedHeader& h = sealed->header;
    Releases r;
    std::vector<std::string> lot_keys;
    if (policy != v1::OPENING_POLICY_QUORUM)
      r.bidder_secret = *UnwrapBidderSecret(h, kBidderPrivate);
    if (policy != v1::OPENING_POLICY_BIDDER) {
      for (const std::string& k : kCustodianPrivate) lot_keys.push_back(PublicOf(k));
      for (uint32_t x : {1u, 3u})
        r.custodians.push_back(
            {x, CustodianFp(static_cast<int>(x) - 1), crypto::Secret(kCustodianPrivate[x - 1])});
    }
    auto judged = JudgeReleases(h, lot_keys, r);
    ASSERT_TRUE(judged.ok()) << name << ": " << judged.status();
    const Judgement& j = *judged;
    ASSERT_EQ(j.verdict, Verdict::kOk) << name << ": " << j.message;
    std::istringstream in(out.str());
    auto reader = SealReader::Open(in);
    ASSERT_TRUE(reader.ok()) << reader.status();
    auto opened = ReadBid(*reader, j.secret.bytes(), nullptr, &Params(policy).lot.spec());
    ASSERT_TRUE(opened.ok()) << name << ": " << opened.status();
    ASSERT_EQ(opened->values_size(), 2);
    EXPECT_EQ(opened->values(0).value(), "1234.50");
    EXPECT_EQ(opened->documents(0).sha256(), crypto::Sha256("bidopen test vector\n"));
  }
}

}  // namespace
}  // namespace bidopen::seal
