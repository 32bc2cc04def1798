// Known-answer vectors of the sealed-bid format with fixed randomness; the
// same values are in docs/sealed-bid-format.md (checked there independently).
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "core/crypto/sha256.h"
#include "core/crypto/x25519.h"
#include "core/seal/bid_plaintext.h"
#include "core/seal/chunk_cipher.h"
#include "core/seal/header.h"
#include "core/seal/key_release.h"
#include "core/seal/seal_bid.h"
#include "core/seal/stream_reader.h"
#include "tests/unit/assertions.h"

namespace bidopen::seal {
namespace {

using crypto::Hex;

// The test randomness: bytes 00 01 02 ... ff 00 01 ..., continuing across calls.
RandomFn CountingRandom() {
  auto next = std::make_shared<uint8_t>(0);
  return [next](size_t n) {
    std::string bytes(n, '\0');
    for (char& c : bytes) c = static_cast<char>((*next)++);
    return bytes;
  };
}

// RFC 7748 §6.1 private keys (Alice's for the bidder, Bob's for custodian 1);
// custodian 2's is SHA-256("custodian 2").
// `n` bytes of the counting randomness starting at `first`.
std::string Counting(int first, size_t n) {
  std::string bytes(n, '\0');
  for (size_t i = 0; i < n; ++i) bytes[i] = static_cast<char>(first + static_cast<int>(i));
  return bytes;
}

const std::string kBidderPrivate =
    absl::HexStringToBytes("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
const std::string kCustodian1Private =
    absl::HexStringToBytes("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
const std::string kCustodian2Private = crypto::Sha256("custodian 2");

const std::string kBidderFp = Hex(crypto::Sha256("bidder certificate"));
const std::string kCustodian1Fp = Hex(crypto::Sha256("custodian 1 certificate"));
const std::string kCustodian2Fp = Hex(crypto::Sha256("custodian 2 certificate"));

std::string PublicOf(const std::string& private_key) {
  return *crypto::X25519PublicFromPrivate(private_key);
}

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
    p.keys = {kBidderFp, PublicOf(kBidderPrivate), {}};
    if (policy != v1::OPENING_POLICY_BIDDER) {
      spec->set_threshold(2);
      spec->add_custodians(kCustodian1Fp);
      spec->add_custodians(kCustodian2Fp);
      p.keys.custodians = {{kCustodian1Fp, PublicOf(kCustodian1Private)},
                           {kCustodian2Fp, PublicOf(kCustodian2Private)}};
    }
    p.form = {{"price", "1234.50"}, {"duration_days", "90"}};
    const std::string path = testing::TempPath("seal_vector_offer.txt");
    std::ofstream(path, std::ios::binary) << "bidopen test vector\n";
    p.documents = {{"offer.txt", path}};
    p.chunk_size = 1024;
    p.random = CountingRandom();
    return p;
  }

  static void AddField(v1::LotSpec* spec, const char* name, v1::FieldType type) {
    v1::FormField* f = spec->add_form();
    f->set_name(name);
    f->set_type(type);
    f->set_required(true);
  }

  SealResult Seal(const SealParams& p) {
    std::ostringstream out;
    auto r = SealBid(p, out);
    EXPECT_TRUE(r.ok()) << r.status();
    file_ = out.str();
    return *r;
  }

  std::string Payload(const SealResult& r) {
    return file_.substr(17 + 4 + EncodeHeader(r.header).size());
  }

  std::string file_;
};

// The expected values, also computed by an independent Python implementation
// of docs/sealed-bid-format.md (its appendix).
struct Expected {
  const char* header;
  const char* header_hash;
  const char* manifest;
  const char* manifest_sha256;
  const char* first_chunk;  // the whole payload: the plaintext fits in one chunk
  const char* file_sha256;
  uint64_t size;
};

const Expected kBidderVector = {
    "0a20424f312d5832353531392d484b44462d5348413235362d41455332353647434d120b542d"
    "323032362d303030311801224032306138633937306439363534386530346539303562333434"
    "6536636234303538623833326637373733333030326562316632333364643434633232626664"
    "322880083207404142434445463a200c379bdab8a74e0111b5c34de5fcdceb307865c6efcaa6"
    "73e312796949dfeb444001529801080112403230613863393730643936353438653034653930"
    "3562333434653663623430353862383332663737373333303032656231663233336464343463"
    "3232626664322220358072d6365880d1aeea329adf9121383851ed21a28e3b75e965d0d2cd16"
    "62542a30f9d3b1192e58873d0af0ce35470ad05a5fa5e7621fd02a3a01e63b4327a1fef45bb5"
    "ecde845076e9967eea7909041716",
    "f8c58722fa4367e2769230b63f0047f786a761b42340e631d782c2096589f95e",
    "0a0b542d323032362d3030303110011a40323061386339373064393635343865303465393035"
    "6233343465366362343035386238333266373737333330303265623166323333646434346332"
    "326266643222100a0570726963651207313233342e353022130a0d6475726174696f6e5f6461"
    "7973120239302a2f0a096f666665722e74787410141a20bafcc97ea6ba78079ece88c25fafd9"
    "f1ddacb298ed17c61f088cb86954ff976e",
    "0c379bdab8a74e0111b5c34de5fcdceb307865c6efcaa673e312796949dfeb44",
    "594148cb8b722e3baf316013bbf10c619ed89427c7f4ccb7da4b6fae6af563f08c706ea682f2"
    "e77d71e8b5505571959c3020cdb0a70fd9283ae0a901358559498c5607fdbabc452b00e6126f"
    "a39b6325720800215cb13660ebaeb2d8f2677e34662d851e29294cf4205c7506773ba6c91a76"
    "656868dbaafe3f5fc1107b3227e59a233f136bade7cbe7b72d3351f7dd81e9931f4ef852fea9"
    "62c058c0d0696c8f70dc04de8390065c8eb158d13769bb49aa9cf5caae18770eeadd9b0b7758"
    "f249ad0c29207bf2e34839910ad3ea2eaedf2e",
    "8f6af8be94f753414aecfb6d2214cce8e35a99167e55b672faec7067e6cba65e",
    548};

const Expected kBothVector = {
    "0a20424f312d5832353531392d484b44462d5348413235362d41455332353647434d120b542d"
    "323032362d303030311801224032306138633937306439363534386530346539303562333434"
    "6536636234303538623833326637373733333030326562316632333364643434633232626664"
    "322880083207c0c1c2c3c4c5c63a200c379bdab8a74e0111b5c34de5fcdceb307865c6efcaa6"
    "73e312796949dfeb444004480252980108011240323061386339373064393635343865303465"
    "3930356233343465366362343035386238333266373737333330303265623166323333646434"
    "34633232626664322220675dd574ed7789310b3d2e7681f3790b466c773b1521fecf36577958"
    "371ea52f2a309eff3bd11956588434b2ebb4fc16ba88438f2cb997d57efdc7131778e06c0a37"
    "36b1827c301e249838810e8af2ec0342529a0108021240663761396362333733366637343634"
    "3066633832623031336538336630323530326233343761383139623933336664383236393538"
    "616438316564306539653118012220493e82fc74464a59268817623d2053c5eb8e2cc4a988b4"
    "fee179ec6b010d531d2a307c12cc43e40441bc90ee4d75fea512ff36a4ef668f9004647bbd68"
    "cd9ca69e2dbed38b83284828350afb7c94505768a3529a010802124030643364653264373936"
    "6234363238663165316365303730306336393663323264373230313232383361616336633730"
    "3336613437363165396234356439363718022220605a725d2a4adfeeb1a29e17edd621c1b759"
    "3ee8cdbc44ac6c4ab6e2f805d23c2a30d72b82dad6a123a3669ed90f6d60ead3454b19912288"
    "2b05afcd6e333cd35bc0471ff79c073869f986a3953de5a8bc37",
    "0def59ea1dfaec8023fcf2297a8a70be403beadeda96ee85e3efc0457a3c80ef",
    "0a0b542d323032362d3030303110011a40323061386339373064393635343865303465393035"
    "6233343465366362343035386238333266373737333330303265623166323333646434346332"
    "326266643222100a0570726963651207313233342e353022130a0d6475726174696f6e5f6461"
    "7973120239302a2f0a096f666665722e74787410141a20bafcc97ea6ba78079ece88c25fafd9"
    "f1ddacb298ed17c61f088cb86954ff976e",
    "0c379bdab8a74e0111b5c34de5fcdceb307865c6efcaa673e312796949dfeb44",
    "2be7cfa6b1187a232c4b8da989189cbac0b36133a9ab1188f4220dd79f56b4f3350afce44778"
    "6d96a9b9e07674256d1de43a62e54c4bf09ad34e0f72832aff207034533e7bcec01626e567c1"
    "649c886ac654c401021d632b837308150590d3e9b9baa49928af581cb2ad0a76218237a04ffa"
    "c32b40ec33af63d17700eaafef22b55da2cc4e09540712a1711c891df6107f88fbbe0d4f12d8"
    "a398c402634e17732ab0e36a76ea5f2a2c238d4a6007b2bb11bd9abc73ab06a2ad1f58f64df1"
    "9d490672a7d861b5379d079cfef2478f24189a",
    "c51b2b697a9e12e00bb137d892464824a677535e5de258c9d204858444c947e1",
    864};

void ExpectVector(const SealResult& r, const std::string& file, const Expected& want) {
  EXPECT_EQ(Hex(EncodeHeader(r.header)), want.header);
  EXPECT_EQ(Hex(r.header_hash), want.header_hash);
  EXPECT_EQ(Hex(EncodeManifest(r.manifest)), want.manifest);
  EXPECT_EQ(Hex(r.manifest_sha256), want.manifest_sha256);
  const size_t payload = 17 + 4 + EncodeHeader(r.header).size();
  EXPECT_EQ(Hex(file.substr(payload)), want.first_chunk);
  EXPECT_EQ(Hex(r.ciphertext_sha256), want.file_sha256);
  EXPECT_EQ(Hex(crypto::Sha256(file)), want.file_sha256);
  EXPECT_EQ(r.ciphertext_size, want.size);
  EXPECT_EQ(file.size(), want.size);
}

TEST_F(SealVectorTest, BidderPolicyKnownAnswer) {
  const SealResult r = Seal(Params(v1::OPENING_POLICY_BIDDER));
  ExpectVector(r, file_, kBidderVector);
}

TEST_F(SealVectorTest, BothPolicyKnownAnswer) {
  const SealResult r = Seal(Params(v1::OPENING_POLICY_BOTH));
  ExpectVector(r, file_, kBothVector);
}

TEST_F(SealVectorTest, IntermediateValuesOfTheBidderVector) {
  const SealResult r = Seal(Params(v1::OPENING_POLICY_BIDDER));
  const std::string data_key = Counting(0, 32);
  EXPECT_EQ(*UnwrapBidderSecret(r.header, kBidderPrivate), data_key);
  EXPECT_EQ(Hex(r.header.recipients(0).ephemeral_public()),
            "358072d6365880d1aeea329adf9121383851ed21a28e3b75e965d0d2cd166254");
  EXPECT_EQ(Hex(r.header.nonce_prefix()), "40414243444546");
  EXPECT_EQ(Hex(*PayloadKey(data_key, r.header.nonce_prefix())),
            "dbccf7ed2b4e422fe9857cfdf937b431f805f3204fb498423b92f5307e2ec43a");
  EXPECT_EQ(Hex(ChunkNonce(r.header.nonce_prefix(), 0, true)), "404142434445460000000001");
  EXPECT_EQ(Hex(ChunkNonce(r.header.nonce_prefix(), 258, false)), "404142434445460000010200");
}

TEST_F(SealVectorTest, VectorsOpenWithTheirPrivateKeys) {
  Seal(Params(v1::OPENING_POLICY_BOTH));
  std::istringstream in(file_);
  auto reader = SealReader::Open(in);
  ASSERT_TRUE(reader.ok()) << reader.status();
  const v1::SealedHeader& h = reader->header();
  ReleasedKeys released;
  released.bidder_secret = *UnwrapBidderSecret(h, kBidderPrivate);
  released.shares = {*UnwrapCustodianShare(h, kCustodian1Fp, kCustodian1Private),
                     *UnwrapCustodianShare(h, kCustodian2Fp, kCustodian2Private)};
  auto key = DataKeyFrom(h, released);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(*key, Counting(0, 32));
  auto manifest = ReadBid(*reader, *key, nullptr);
  ASSERT_TRUE(manifest.ok()) << manifest.status();
  ASSERT_EQ(manifest->values_size(), 2);
  EXPECT_EQ(manifest->values(0).value(), "1234.50");
}

}  // namespace
}  // namespace bidopen::seal
