// The STREAM layer of sealed bids: writer and reader around chunk boundaries,
// every way of tampering with a file, and bounded memory on large streams.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/crypto/sha256.h"
#include "core/seal/chunk_cipher.h"
#include "core/seal/context.h"
#include "core/seal/digest.h"
#include "core/seal/format.h"
#include "core/seal/header.h"
#include "core/seal/stream_reader.h"
#include "core/seal/stream_writer.h"
#include "tests/unit/assertions.h"

namespace bidopen::seal {
namespace {

using ::bidopen::testing::StatusIs;

constexpr uint32_t kChunk = 1024;
constexpr size_t kSealedChunk = kChunk + 16;
const std::string kKey(32, 'K');

// A valid v2 header for `plaintext_size` bytes whose secret commitment admits kKey.
v1::SealedHeader TestHeader(uint32_t chunk_size = kChunk,
                            uint64_t plaintext_size = 3 * kChunk + 10) {
  v1::SealedHeader h;
  h.set_suite(std::string(kSuiteX25519Aes));
  h.set_bid_id(std::string(16, 'i'));
  h.set_tender_id("T-1");
  h.set_lot(1);
  h.set_bidder("fp-bidder");
  h.set_chunk_size(chunk_size);
  h.set_values_size(4);
  h.set_plaintext_size(plaintext_size);
  h.set_policy(v1::OPENING_POLICY_BIDDER);
  v1::Recipient* r = h.add_recipients();
  r->set_kind(v1::RECIPIENT_KIND_BIDDER_KEY);
  r->set_fingerprint("fp-bidder");
  r->set_public_key(std::string(32, 'p'));
  r->set_ephemeral_public(std::string(32, 'e'));
  r->set_wrapped(std::string(48, 'w'));
  h.set_values_commitment(std::string(32, 'v'));
  h.set_secret_commitment(SecretCommitment(kSecretLabel, ContextHash(h), kKey));
  return h;
}

std::string FileOf(const v1::SealedHeader& h, absl::string_view payload) {
  const std::string header = EncodeHeader(h);
  std::string f(kMagic);
  AppendU32(&f, static_cast<uint32_t>(header.size()));
  return absl::StrCat(f, header, payload);
}

std::string Pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 31 + i / 251) & 0xff);
  return s;
}

std::string Seal(absl::string_view plaintext, size_t piece = 0) {
  const v1::SealedHeader header = TestHeader(kChunk, plaintext.size());
  std::ostringstream out;
  SealWriter writer(out);
  EXPECT_TRUE(writer.Begin(header, kKey).ok());
  if (piece == 0) piece = plaintext.size() + 1;
  for (size_t at = 0; at < plaintext.size(); at += piece)
    EXPECT_TRUE(writer.Write(plaintext.substr(at, piece)).ok());
  EXPECT_TRUE(writer.Finish().ok());
  EXPECT_EQ(writer.file_size(), out.str().size());
  EXPECT_EQ(writer.file_sha256(), crypto::Sha256(out.str()));
  return out.str();
}

absl::StatusOr<std::string> Open(const std::string& file, const std::string& key = kKey) {
  std::istringstream in(file);
  auto reader = SealReader::Open(in);
  if (!reader.ok()) return reader.status();
  std::string got;
  absl::Status st = reader->ReadPlaintext(key, [&](absl::string_view piece) {
    got.append(piece.data(), piece.size());
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return got;
}

size_t PayloadOffset(const std::string& file) {
  return kMagic.size() + 4 + ReadU32(absl::string_view(file).substr(kMagic.size(), 4));
}

size_t ChunkOffset(const std::string& file, int i) {
  return PayloadOffset(file) + static_cast<size_t>(i) * kSealedChunk;
}

TEST(SealStreamTest, RoundTripAroundChunkBoundaries) {
  for (size_t size : {size_t{8}, size_t{9}, size_t{kChunk - 1}, size_t{kChunk}, size_t{kChunk + 1},
                      size_t{3 * kChunk}}) {
    const std::string plaintext = Pattern(size);
    for (size_t piece : {size_t{0}, size_t{7}, size_t{kChunk}, size_t{3 * kChunk + 5}}) {
      const std::string file = Seal(plaintext, piece);
      const size_t full = size / kChunk;
      EXPECT_EQ(file.size(), PayloadOffset(file) + full * kSealedChunk + size % kChunk + 16)
          << "size " << size << " piece " << piece;
      auto opened = Open(file);
      ASSERT_TRUE(opened.ok()) << opened.status() << " size " << size << " piece " << piece;
      EXPECT_EQ(*opened, plaintext) << "size " << size << " piece " << piece;
    }
  }
}

TEST(SealStreamTest, WholeChunksEndWithAnEmptyFinalChunk) {
  const std::string file = Seal(Pattern(2 * kChunk));
  EXPECT_EQ(file.size() - ChunkOffset(file, 2), 16u);  // the final chunk: its tag only
}

TEST(SealStreamTest, EqualPiecesSealDifferentlyAtDifferentIndexes) {
  const std::string file = Seal(std::string(2 * kChunk, 'x'));
  EXPECT_NE(file.substr(ChunkOffset(file, 0), kSealedChunk),
            file.substr(ChunkOffset(file, 1), kSealedChunk));
}

TEST(SealStreamTest, FileStartsWithMagicAndHeaderWhoseHashIsReported) {
  std::ostringstream out;
  SealWriter writer(out);
  ASSERT_TRUE(writer.Begin(TestHeader(kChunk, 8), kKey).ok());
  ASSERT_TRUE(writer.Write(std::string(8, 'x')).ok());
  ASSERT_TRUE(writer.Finish().ok());
  const std::string file = out.str();
  const std::string header = EncodeHeader(TestHeader(kChunk, 8));
  EXPECT_EQ(file.substr(0, 17), "BIDOPEN-SEALED\n2\n");
  EXPECT_EQ(ReadU32(file.substr(17, 4)), header.size());
  EXPECT_EQ(file.substr(21, header.size()), header);
  EXPECT_EQ(writer.header_hash(), crypto::Sha256(absl::StrCat(U32Bytes(17), "bidopen/v2/header",
                                                              U32Bytes(header.size()), header)));
  EXPECT_EQ(file.size(), ExpectedFileSize(header.size(), TestHeader(kChunk, 8)));
}

TEST(SealStreamTest, FinalFlagAndIndexArePartOfTheNonce) {
  ChunkCipher cipher(crypto::Secret(std::string(32, 'P')), "nonce-7", std::string(32, 'h'));
  std::string sealed(5 + crypto::kGcmTagSize, '\0');
  ASSERT_TRUE(cipher.SealInto(5, false, "piece", sealed.data()).ok());
  std::string plain;
  EXPECT_TRUE(cipher.Open(5, false, sealed, &plain).ok());
  EXPECT_EQ(plain, "piece");
  EXPECT_TRUE(StatusIs(cipher.Open(5, true, sealed, &plain), absl::StatusCode::kDataLoss,
                       {"chunk 5 does not authenticate as the final chunk"}));
  EXPECT_TRUE(StatusIs(cipher.Open(6, false, sealed, &plain), absl::StatusCode::kDataLoss,
                       {"chunk 6 does not authenticate"}));
  const ChunkCipher other_header(crypto::Secret(std::string(32, 'P')), "nonce-7",
                                 std::string(32, 'H'));
  EXPECT_TRUE(StatusIs(other_header.Open(5, false, sealed, &plain), absl::StatusCode::kDataLoss,
                       {"chunk 5"}));
  EXPECT_EQ(plain, "piece");  // failed opens append nothing
}

// A 3-chunk-and-a-bit file: chunks 0, 1, 2 full, chunk 3 final with 10 bytes.
class SealTamperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plaintext_ = Pattern(3 * kChunk + 10);
    file_ = Seal(plaintext_);
    ASSERT_EQ(file_.size(), ChunkOffset(file_, 3) + 26);
  }
  std::string plaintext_;
  std::string file_;
};

TEST_F(SealTamperTest, UntouchedFileOpens) { EXPECT_EQ(*Open(file_), plaintext_); }

TEST_F(SealTamperTest, FlippedCiphertextBitNamesTheChunk) {
  std::string f = file_;
  f[ChunkOffset(f, 1) + 100] ^= 0x01;
  EXPECT_TRUE(StatusIs(Open(f), absl::StatusCode::kDataLoss, {"chunk 1 does not authenticate"}));
  f = file_;
  f[f.size() - 1] ^= 0x80;  // the final chunk's tag
  EXPECT_TRUE(StatusIs(Open(f), absl::StatusCode::kDataLoss,
                       {"chunk 3 does not authenticate as the final chunk"}));
}

TEST_F(SealTamperTest, SwappedChunksFailAtTheFirstMovedOne) {
  std::string f = file_;
  const std::string c0 = f.substr(ChunkOffset(f, 0), kSealedChunk);
  const std::string c1 = f.substr(ChunkOffset(f, 1), kSealedChunk);
  f.replace(ChunkOffset(f, 0), kSealedChunk, c1);
  f.replace(ChunkOffset(f, 1), kSealedChunk, c0);
  EXPECT_TRUE(StatusIs(Open(f), absl::StatusCode::kDataLoss, {"chunk 0 does not authenticate"}));
}

// The header fixes the plaintext size, so the reader knows every chunk's
// length and the file's: a cut or an extension is named with the sizes.
TEST_F(SealTamperTest, TruncatedByOneByteIsNamedWithTheSizes) {
  EXPECT_TRUE(StatusIs(Open(file_.substr(0, file_.size() - 1)), absl::StatusCode::kDataLoss,
                       {"the file is truncated: it ends in chunk 3 of 4 (25 of 26 bytes)",
                        absl::StrCat("the file is ", file_.size(), " bytes")}));
  EXPECT_TRUE(StatusIs(Open(file_.substr(0, ChunkOffset(file_, 3))), absl::StatusCode::kDataLoss,
                       {"ends in chunk 3 of 4 (0 of 26 bytes)"}));
  EXPECT_TRUE(StatusIs(Open(file_.substr(0, ChunkOffset(file_, 2) + 500)),
                       absl::StatusCode::kDataLoss, {"ends in chunk 2 of 4 (500 of 1040 bytes)"}));
}

TEST_F(SealTamperTest, DroppedEmptyFinalChunkIsTruncation) {
  const std::string f = Seal(Pattern(2 * kChunk));
  EXPECT_TRUE(StatusIs(Open(f.substr(0, f.size() - 16)), absl::StatusCode::kDataLoss,
                       {"ends in chunk 2 of 3 (0 of 16 bytes)"}));
}

TEST_F(SealTamperTest, ExtendedByOneByteIsNamedWithTheSizes) {
  EXPECT_TRUE(StatusIs(Open(file_ + "x"), absl::StatusCode::kDataLoss,
                       {"1 bytes follow the final chunk",
                        absl::StrCat("longer than the ", file_.size(), " bytes its header says")}));
  EXPECT_TRUE(StatusIs(Open(file_ + file_.substr(ChunkOffset(file_, 0), kSealedChunk)),
                       absl::StatusCode::kDataLoss, {"1040 bytes follow the final chunk"}));
  const std::string whole = Seal(Pattern(2 * kChunk));
  EXPECT_TRUE(StatusIs(Open(whole + std::string(16, '\0')), absl::StatusCode::kDataLoss,
                       {"16 bytes follow the final chunk"}));
}

TEST_F(SealTamperTest, EditedHeaderFailsItsCommitmentOrChunkZero) {
  v1::SealedHeader edited = TestHeader();
  edited.set_tender_id("T-2");  // in the context: the secret no longer matches its commitment
  EXPECT_TRUE(StatusIs(Open(FileOf(edited, file_.substr(PayloadOffset(file_)))),
                       absl::StatusCode::kDataLoss,
                       {"does not match secret_commitment", "nothing was decrypted"}));

  edited = TestHeader();
  edited.set_values_commitment(std::string(32, 'V'));  // not in the context, in the header hash
  const std::string header = EncodeHeader(edited);
  std::string f = file_;
  f.replace(kMagic.size() + 4, header.size(), header);  // same length, in place
  EXPECT_TRUE(StatusIs(Open(f), absl::StatusCode::kDataLoss, {"chunk 0 does not authenticate"}));
}

TEST_F(SealTamperTest, AWrongSecretDecryptsNothing) {
  EXPECT_TRUE(StatusIs(Open(file_, std::string(32, 'k')), absl::StatusCode::kDataLoss,
                       {"does not match secret_commitment", "nothing was decrypted"}));
  EXPECT_TRUE(StatusIs(Open(file_, std::string(31, 'K')), absl::StatusCode::kInvalidArgument,
                       {"bid secret: 31 bytes; must be 32"}));
}

TEST_F(SealTamperTest, CheckSecretLetsTheCallerTryAnotherSecret) {
  std::istringstream in(file_);
  auto reader = SealReader::Open(in);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_TRUE(StatusIs(reader->CheckSecret(std::string(32, 'k')), absl::StatusCode::kDataLoss,
                       {"secret_commitment"}));
  ASSERT_TRUE(reader->CheckSecret(kKey).ok());
  std::string got;
  ASSERT_TRUE(reader
                  ->ReadPlaintext(kKey,
                                  [&](absl::string_view p) {
                                    got.append(p.data(), p.size());
                                    return absl::OkStatus();
                                  })
                  .ok());
  EXPECT_EQ(got, plaintext_);
  EXPECT_TRUE(
      StatusIs(reader->ReadPlaintext(kKey, [](absl::string_view) { return absl::OkStatus(); }),
               absl::StatusCode::kFailedPrecondition, {"already read"}));
}

TEST_F(SealTamperTest, SinkErrorStopsTheRead) {
  std::istringstream in(file_);
  auto reader = SealReader::Open(in);
  ASSERT_TRUE(reader.ok());
  int calls = 0;
  EXPECT_TRUE(StatusIs(reader->ReadPlaintext(kKey,
                                             [&](absl::string_view) {
                                               ++calls;
                                               return absl::CancelledError("enough");
                                             }),
                       absl::StatusCode::kCancelled, {"enough"}));
  EXPECT_EQ(calls, 1);
}

TEST(SealHeaderFramingTest, WhatIsNotASealedBidIsSaidSo) {
  EXPECT_TRUE(
      StatusIs(Open("hello"), absl::StatusCode::kInvalidArgument, {"not a bidopen sealed bid"}));
  EXPECT_TRUE(StatusIs(Open(""), absl::StatusCode::kInvalidArgument, {"not a bidopen sealed bid"}));
  const std::string file = Seal("12345678");
  std::string v3 = file;
  v3[15] = '3';
  EXPECT_TRUE(StatusIs(Open(v3), absl::StatusCode::kInvalidArgument,
                       {"format version \"3\" is not supported", "reads version 2"}));
  std::string big = file;
  big.replace(17, 4, std::string("\x00\x01\x00\x01", 4));
  EXPECT_TRUE(StatusIs(Open(big), absl::StatusCode::kInvalidArgument,
                       {"header length 65537 is outside 1..65536"}));
  EXPECT_TRUE(StatusIs(Open(file.substr(0, 19)), absl::StatusCode::kInvalidArgument,
                       {"ends before the header length"}));
  EXPECT_TRUE(StatusIs(Open(file.substr(0, 30)), absl::StatusCode::kInvalidArgument,
                       {"ends inside the header (9 of"}));
}

TEST(SealHeaderFramingTest, AVersionOneFileIsRefusedSayingToSealAgain) {
  std::string v1 = Seal("12345678");
  v1[15] = '1';
  EXPECT_TRUE(StatusIs(Open(v1), absl::StatusCode::kInvalidArgument,
                       {"format version 1 is no longer accepted",
                        "seal the bid again with this bidctl", "format version 2"}));
}

TEST(SealHeaderFramingTest, ReaderValidatesTheHeader) {
  v1::SealedHeader h = TestHeader();
  h.set_bid_id("short");
  EXPECT_TRUE(StatusIs(Open(FileOf(h, "")), absl::StatusCode::kInvalidArgument,
                       {"sealed header: bid_id: 5 bytes; must be 16"}));
  h = TestHeader();
  h.set_values_commitment("");
  EXPECT_TRUE(StatusIs(Open(FileOf(h, "")), absl::StatusCode::kInvalidArgument,
                       {"sealed header: values_commitment: 0 bytes; must be 32"}));
  h = TestHeader();
  h.set_bidder_part_commitment(std::string(32, 'b'));  // BIDDER has no parts
  EXPECT_TRUE(StatusIs(Open(FileOf(h, "")), absl::StatusCode::kInvalidArgument,
                       {"sealed header: bidder_part_commitment: 32 bytes; must be 0"}));
  h = TestHeader();
  h.set_values_size(1024 * 1024 + 1);  // a reader would buffer it
  EXPECT_TRUE(StatusIs(Open(FileOf(h, "")), absl::StatusCode::kInvalidArgument,
                       {"sealed header: values_size: 1048577 is outside 4..1048576"}));
  h = TestHeader();
  h.mutable_recipients(0)->set_public_key("");
  EXPECT_TRUE(StatusIs(Open(FileOf(h, "")), absl::StatusCode::kInvalidArgument,
                       {"sealed header: recipients[0].public_key: 0 bytes; must be 32"}));
}

// Strict parsing: the header bytes must be exactly the canonical encoding of
// what they parse to, with no field the format does not define.
TEST(SealHeaderFramingTest, UnknownOrNonCanonicalHeaderBytesAreRefused) {
  const std::string header = EncodeHeader(TestHeader());
  auto open_header = [](const std::string& bytes) {
    std::string f(kMagic);
    AppendU32(&f, static_cast<uint32_t>(bytes.size()));
    return Open(f + bytes);
  };
  EXPECT_TRUE(StatusIs(open_header(header + std::string("\xa0\x06\x01", 3)),  // field 100 = 1
                       absl::StatusCode::kInvalidArgument, {"unknown field"}));
  EXPECT_TRUE(StatusIs(open_header(header + std::string("\x20\x00", 2)),  // lot = 0, explicit
                       absl::StatusCode::kInvalidArgument, {"not in canonical encoding"}));
  EXPECT_TRUE(StatusIs(open_header(header + std::string("\x20\x01", 2)),  // lot again
                       absl::StatusCode::kInvalidArgument, {"not in canonical encoding"}));
  EXPECT_TRUE(StatusIs(open_header(std::string("\xff", 1)), absl::StatusCode::kInvalidArgument,
                       {"do not parse"}));
}

TEST(SealWriterTest, RefusesCallsOutOfOrderAndBadHeaders) {
  std::ostringstream out;
  SealWriter writer(out);
  EXPECT_TRUE(StatusIs(writer.Write("x"), absl::StatusCode::kFailedPrecondition, {"out of order"}));
  v1::SealedHeader h = TestHeader();
  h.set_chunk_size(100);
  EXPECT_TRUE(
      StatusIs(writer.Begin(h, kKey), absl::StatusCode::kInvalidArgument, {"chunk_size: 100"}));
  EXPECT_TRUE(StatusIs(writer.Begin(TestHeader(), kKey), absl::StatusCode::kFailedPrecondition,
                       {"an earlier step failed"}));
}

// Counts the bytes written and hashes them; keeps nothing.
class HashingBuf : public std::streambuf {
 public:
  uint64_t size = 0;
  Sha256Stream hash;

 protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    hash.Update(absl::string_view(s, static_cast<size_t>(n)));
    size += static_cast<uint64_t>(n);
    return n;
  }
  int_type overflow(int_type c) override {
    if (c != traits_type::eof()) xsputn(reinterpret_cast<const char*>(&c), 1);
    return c;
  }
};

TEST(SealMemoryTest, SixtyFourMegabytesKeepBuffersAtTwoChunks) {
  constexpr size_t kTotal = 64u << 20;
  constexpr size_t kBound = 2 * kDefaultChunkSize + 16 + 64;
  const std::string path = testing::TempPath("seal_memory_test.sealed");
  const std::string piece = Pattern((1u << 20) + 7);  // not a multiple of the chunk size
  Sha256Stream plain_hash;
  {
    std::ofstream out(path, std::ios::binary);
    SealWriter writer(out);
    ASSERT_TRUE(writer.Begin(TestHeader(kDefaultChunkSize, kTotal), kKey).ok());
    size_t max_capacity = 0;
    for (size_t written = 0; written < kTotal; written += piece.size()) {
      const absl::string_view p = absl::string_view(piece).substr(0, kTotal - written);
      ASSERT_TRUE(writer.Write(p).ok());
      plain_hash.Update(p);
      max_capacity = std::max(max_capacity, writer.buffer_capacity());
    }
    ASSERT_TRUE(writer.Finish().ok());
    EXPECT_LE(max_capacity, kBound);
    EXPECT_EQ(writer.plaintext_size(), kTotal);
  }
  std::ifstream in(path, std::ios::binary);
  auto reader = SealReader::Open(in);
  ASSERT_TRUE(reader.ok()) << reader.status();
  Sha256Stream read_hash;
  uint64_t read = 0;
  size_t max_capacity = 0;
  ASSERT_TRUE(reader
                  ->ReadPlaintext(kKey,
                                  [&](absl::string_view p) {
                                    read_hash.Update(p);
                                    read += p.size();
                                    max_capacity =
                                        std::max(max_capacity, reader->buffer_capacity());
                                    return absl::OkStatus();
                                  })
                  .ok());
  EXPECT_EQ(read, kTotal);
  EXPECT_EQ(read_hash.Finish(), plain_hash.Finish());
  EXPECT_LE(max_capacity, kBound);
  std::remove(path.c_str());
}

TEST(SealMemoryTest, WriterHashesWhatItWritesWithoutKeepingIt) {
  HashingBuf buf;
  std::ostream out(&buf);
  SealWriter writer(out);
  ASSERT_TRUE(writer.Begin(TestHeader(), kKey).ok());
  ASSERT_TRUE(writer.Write(Pattern(5 * kChunk + 3)).ok());
  ASSERT_TRUE(writer.Finish().ok());
  EXPECT_EQ(writer.file_size(), buf.size);
  EXPECT_EQ(writer.file_sha256(), buf.hash.Finish());
  EXPECT_LE(writer.buffer_capacity(), 2 * kChunk + 16 + 64);
}

}  // namespace
}  // namespace bidopen::seal
