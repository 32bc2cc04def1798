// RFC 9162 Merkle hashing, proofs and their verification (core/log/merkle.h)
// and the in-memory append-only tree (core/log/memory_tree.h).
//
// Known answers are the Certificate Transparency test vectors (google/
// certificate-transparency, python/ct/crypto/merkle_test.py and the C++ tests
// they were lifted from; transparency-dev/merkle carries the same ones). The
// 1,000,000-leaf answers were computed with a separate python3 hashlib script
// written straight from the RFC text. The randomized tests compare with the
// RFC's recursive definitions transcribed below over plain vectors.
#include "core/log/merkle.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "core/log/memory_tree.h"
#include "tests/unit/assertions.h"

namespace bidopen::log {
namespace {

using ::bidopen::testing::StatusIs;
using Leaves = std::span<const Hash>;

Hash H(absl::string_view hex) {
  absl::StatusOr<Hash> h = HashFromBytes(absl::HexStringToBytes(hex));
  EXPECT_TRUE(h.ok()) << h.status();
  return h.ok() ? *h : Hash{};
}

std::vector<Hash> Hs(std::initializer_list<absl::string_view> hexes) {
  std::vector<Hash> out;
  for (absl::string_view hex : hexes) out.push_back(H(hex));
  return out;
}

// The eight leaves of CT's Merkle tests.
std::vector<Hash> CtLeafHashes() {
  const std::string leaves[] = {"",
                                std::string(1, '\0'),
                                "\x10",
                                "\x20\x21",
                                "\x30\x31",
                                "\x40\x41\x42\x43",
                                "\x50\x51\x52\x53\x54\x55\x56\x57",
                                "\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f"};
  std::vector<Hash> out;
  for (const std::string& leaf : leaves) out.push_back(LeafHash(leaf));
  return out;
}

MemoryTree TreeOf(Leaves leaves) {
  MemoryTree tree;
  for (const Hash& h : leaves) tree.Append(h);
  return tree;
}

std::vector<Hash> RandomLeafHashes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Hash> out;
  for (size_t i = 0; i < n; ++i) out.push_back(LeafHash(absl::StrCat(rng(), "/", i)));
  return out;
}

// ---- RFC 9162 §2.1 transcribed literally, over a list of leaf hashes ----

size_t NaiveSplit(size_t n) {
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

Hash NaiveMth(Leaves d) {
  if (d.empty()) return EmptyRoot();
  if (d.size() == 1) return d[0];
  const size_t k = NaiveSplit(d.size());
  return NodeHash(NaiveMth(d.first(k)), NaiveMth(d.subspan(k)));
}

std::vector<Hash> NaivePath(size_t m, Leaves d) {
  if (d.size() <= 1) return {};
  const size_t k = NaiveSplit(d.size());
  std::vector<Hash> out = m < k ? NaivePath(m, d.first(k)) : NaivePath(m - k, d.subspan(k));
  out.push_back(m < k ? NaiveMth(d.subspan(k)) : NaiveMth(d.first(k)));
  return out;
}

std::vector<Hash> NaiveSubproof(size_t m, Leaves d, bool b) {
  if (m == d.size()) return b ? std::vector<Hash>{} : std::vector<Hash>{NaiveMth(d)};
  const size_t k = NaiveSplit(d.size());
  std::vector<Hash> out =
      m <= k ? NaiveSubproof(m, d.first(k), b) : NaiveSubproof(m - k, d.subspan(k), false);
  out.push_back(m <= k ? NaiveMth(d.subspan(k)) : NaiveMth(d.first(k)));
  return out;
}

// Perfect nodes recomputed from the leaves on every call; counts the reads.
class NaiveSource final : public HashSource {
 public:
  explicit NaiveSource(Leaves leaves) : leaves_(leaves) {}
  Hash Node(int level, uint64_t index) const override {
    ++reads_;
    return NaiveMth(leaves_.subspan(index << level, uint64_t{1} << level));
  }
  int reads() const { return reads_; }

 private:
  Leaves leaves_;
  mutable int reads_ = 0;
};

Hash FlipBit(Hash h, int bit) {
  h[(bit / 8) % 32] ^= static_cast<uint8_t>(1u << (bit % 8));
  return h;
}

// ---- Hashing ----

TEST(MerkleHashTest, KnownAnswers) {
  EXPECT_EQ(HashHex(EmptyRoot()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // SHA-256 of the single byte 0x00: the leaf prefix is hashed before the leaf.
  EXPECT_EQ(HashHex(LeafHash("")),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  const std::vector<Hash> l = CtLeafHashes();
  EXPECT_EQ(HashHex(NodeHash(l[0], l[1])),
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
  EXPECT_NE(NodeHash(l[0], l[1]), NodeHash(l[1], l[0]));
}

TEST(MerkleHashTest, HashFromBytesWantsExactly32) {
  const std::string raw(32, '\xab');
  absl::StatusOr<Hash> h = HashFromBytes(raw);
  ASSERT_TRUE(h.ok()) << h.status();
  std::string want;
  for (int i = 0; i < 32; ++i) want += "ab";
  EXPECT_EQ(HashHex(*h), want);
  EXPECT_TRUE(StatusIs(HashFromBytes(raw.substr(1)), absl::StatusCode::kInvalidArgument, {"31"}));
  EXPECT_TRUE(StatusIs(HashFromBytes(raw + "x"), absl::StatusCode::kInvalidArgument, {"33"}));
}

// ---- Known answers ----

TEST(MerkleKnownAnswerTest, RootsOfTheCtLeaves) {
  const std::vector<Hash> leaves = CtLeafHashes();
  const std::vector<Hash> want = Hs({
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
  });
  const NaiveSource naive(leaves);
  MemoryTree tree;
  EXPECT_EQ(tree.Root(), EmptyRoot());
  EXPECT_EQ(RootHash(naive, 0), EmptyRoot());
  for (size_t n = 1; n <= 8; ++n) {
    tree.Append(leaves[n - 1]);
    EXPECT_EQ(HashHex(tree.Root()), HashHex(want[n - 1])) << "size " << n;
    EXPECT_EQ(HashHex(RootHash(naive, n)), HashHex(want[n - 1])) << "size " << n;
  }
}

TEST(MerkleKnownAnswerTest, InclusionPathsOfTheCtLeaves) {
  struct Case {
    uint64_t index, size;
    std::vector<Hash> path;
  };
  const Case cases[] = {
      {0, 1, {}},
      {0, 8,
       Hs({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
           "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
           "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"})},
      {5, 8,
       Hs({"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
           "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
           "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
      {2, 3, Hs({"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"})},
      {1, 5,
       Hs({"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
           "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
           "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"})},
  };
  const std::vector<Hash> leaves = CtLeafHashes();
  const MemoryTree tree = TreeOf(leaves);
  for (const Case& c : cases) {
    absl::StatusOr<std::vector<Hash>> path = InclusionProof(tree, c.index, c.size);
    ASSERT_TRUE(path.ok()) << path.status();
    EXPECT_EQ(*path, c.path) << "leaf " << c.index << " of " << c.size;
    EXPECT_TRUE(
        VerifyInclusion(leaves[c.index], c.index, c.size, c.path, tree.RootAt(c.size)).ok());
  }
}

TEST(MerkleKnownAnswerTest, ConsistencyProofsOfTheCtLeaves) {
  struct Case {
    uint64_t first, second;
    std::vector<Hash> proof;
  };
  const Case cases[] = {
      {1, 1, {}},
      {1, 8,
       Hs({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
           "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
           "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"})},
      {6, 8,
       Hs({"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
           "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
           "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
      {2, 5,
       Hs({"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
           "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"})},
  };
  const MemoryTree tree = TreeOf(CtLeafHashes());
  for (const Case& c : cases) {
    absl::StatusOr<std::vector<Hash>> proof = ConsistencyProof(tree, c.first, c.second);
    ASSERT_TRUE(proof.ok()) << proof.status();
    EXPECT_EQ(*proof, c.proof) << c.first << " -> " << c.second;
    EXPECT_TRUE(
        VerifyConsistency(c.first, c.second, tree.RootAt(c.first), tree.RootAt(c.second), c.proof)
            .ok());
  }
}

// An audit path from CT's production log (python/ct/crypto/merkle_test.py):
// 22 hashes deep, far beyond any tree built in these tests.
TEST(MerkleKnownAnswerTest, CtLogAuditPath) {
  const std::vector<Hash> path = Hs({
      "1a208aeebcd1b39fe2de247ee8db9454e1e93a312d206b87f6ca9cc6ec6f1ddd",
      "0a1b78b383f580856f433c01a5741e160d451c185910027f6cc9f828687a40c4",
      "3d1745789bc63f2da15850de1c12a5bf46ed81e1cc90f086148b1662e79aab3d",
      "9095b61e14d8990acf390905621e62b1714fb8e399fbb71de5510e0aef45affe",
      "0a332b91b8fab564e6afd1dd452449e04619b18accc0ff9aa8393cd4928451f2",
      "2336f0181d264aed6d8f3a6507ca14a8d3b3c3a23791ac263e845d208c1ee330",
      "b4ce56e300590500360c146c6452edbede25d4ed83919278749ee5dbe178e048",
      "933f6ddc848ea562e4f9c5cfb5f176941301dad0c6fdb9d1fbbe34fac1be6966",
      "b95a6222958a86f74c030be27c44f57dbe313e5e7c7f4ffb98bcbd3a03bb52f2",
      "daeeb3ce5923defd0faeb8e0c210b753b85b809445d7d3d3cd537a9aabaa9c45",
      "7fadd0a13e9138a2aa6c3fdec4e2275af233b94812784f66bcca9aa8e989f2bc",
      "1864e6ba3e32878610546539734fb5eeae2529991f130c575c73a7e25a2a7c56",
      "12842d1202b1dc6828a17ab253c02e7ce9409b5192430feba44189f39cc02d66",
      "29af64b16fa3053c13d02ac63aa75b23aa468506e44c3a2315edc85d2dc22b11",
      "b527b99934a0bd9edd154e449b0502e2c499bba783f3bc3dfe23364b6b532009",
      "4584db8ae8e351ace08e01f306378a92bfd43611714814f3d834a2842d69faa8",
      "86a9a41573b0d6e4292f01e93243d6cc65b30f06606fc6fa57390e7e90ed580f",
      "a88b98fbe84d4c6aae8db9d1605dfac059d9f03fe0fcb0d5dff1295dacba09e6",
      "06326dc617a6d1f7021dc536026dbfd5fffc6f7c5531d48ef6ccd1ed1569f2a1",
      "f41fe8fdc3a2e4e8345e30216e7ebecffee26ff266eeced208a6c2a3cf08f960",
      "40cf5bde8abb76983f3e98ba97aa36240402975674e120f234b3448911090f8d",
      "b3222dc8658538079883d980d7fdc2bef9285344ea34338968f736b04aeb387a",
  });
  const Hash leaf = H("7a395c866d5ecdb0cccb623e011dbc392cd348d1d1d72776174e127a24b09c78");
  const Hash root = H("78316a05c9bcf14a3a4548f5b854a9adfcd46a4c034401b3ce7eb7ac2f1d0ecb");
  EXPECT_TRUE(VerifyInclusion(leaf, 848049, 3630887, path, root).ok());
  EXPECT_TRUE(StatusIs(VerifyInclusion(leaf, 848049, 3630887, path, FlipBit(root, 7)),
                       absl::StatusCode::kDataLoss,
                       {"leaf 848049", "size 3630887", HashHex(FlipBit(root, 7)).substr(0, 16)}));
}

// Leaves "event-0" .. "event-999999"; answers from the python3 reference.
TEST(MerkleKnownAnswerTest, MillionLeafTree) {
  MemoryTree tree;
  for (int i = 0; i < 1000000; ++i) tree.Append(LeafHash(absl::StrCat("event-", i)));
  EXPECT_EQ(HashHex(tree.Root()),
            "cb8855a74daf7c51945ee7a33d83b94168dc9bb113b8e3c08ba6084573d99025");
  EXPECT_EQ(HashHex(tree.RootAt(123457)),
            "64970090573136574aec8b0c255290f41c46121baf887bb9eeada4aff41dfaf1");
  absl::StatusOr<std::vector<Hash>> path = InclusionProof(tree, 999999, tree.size());
  ASSERT_TRUE(path.ok()) << path.status();
  EXPECT_EQ(path->size(), 12u);
  EXPECT_EQ(HashHex(path->back()),
            "d6c632aecf5a68d3ad5d51d5d770ce0551a20de4c15f7933d2fdc85406ea712d");
  EXPECT_TRUE(VerifyInclusion(tree.Node(0, 999999), 999999, tree.size(), *path, tree.Root()).ok());
  absl::StatusOr<std::vector<Hash>> proof = ConsistencyProof(tree, 123457, tree.size());
  ASSERT_TRUE(proof.ok()) << proof.status();
  EXPECT_TRUE(
      VerifyConsistency(123457, tree.size(), tree.RootAt(123457), tree.Root(), *proof).ok());
}

// ---- Against the RFC's definitions, every size up to 1000 ----

TEST(MerkleRandomizedTest, RootsPathsAndProofsMatchTheRfcDefinitions) {
  const std::vector<Hash> leaves = RandomLeafHashes(1000, 1);
  const MemoryTree tree = TreeOf(leaves);
  std::mt19937_64 rng(2);
  for (uint64_t n = 1; n <= leaves.size(); ++n) {
    const Leaves d = Leaves(leaves).first(n);
    const Hash root = NaiveMth(d);
    ASSERT_EQ(RootHash(tree, n), root) << "size " << n;
    for (uint64_t i : {uint64_t{0}, n - 1, n / 2, rng() % n}) {
      absl::StatusOr<std::vector<Hash>> path = InclusionProof(tree, i, n);
      ASSERT_TRUE(path.ok()) << path.status();
      ASSERT_EQ(*path, NaivePath(i, d)) << "leaf " << i << " of " << n;
      ASSERT_EQ(path->size(), InclusionProofLength(i, n));
      absl::Status st = VerifyInclusion(leaves[i], i, n, *path, root);
      ASSERT_TRUE(st.ok()) << st;
    }
    for (uint64_t m : {uint64_t{1}, n, n / 2, n - 1, 1 + rng() % n}) {
      if (m == 0) continue;
      absl::StatusOr<std::vector<Hash>> proof = ConsistencyProof(tree, m, n);
      ASSERT_TRUE(proof.ok()) << proof.status();
      ASSERT_EQ(*proof, NaiveSubproof(m, d, true)) << m << " -> " << n;
      ASSERT_EQ(proof->size(), ConsistencyProofLength(m, n));
      absl::Status st = VerifyConsistency(m, n, NaiveMth(d.first(m)), root, *proof);
      ASSERT_TRUE(st.ok()) << st;
    }
  }
}

TEST(MerkleRandomizedTest, RangeHashOfAnyRangeIsItsMth) {
  const std::vector<Hash> leaves = RandomLeafHashes(40, 3);
  const MemoryTree tree = TreeOf(leaves);
  for (uint64_t begin = 0; begin <= leaves.size(); ++begin)
    for (uint64_t end = begin; end <= leaves.size(); ++end)
      ASSERT_EQ(RangeHash(tree, begin, end), NaiveMth(Leaves(leaves).subspan(begin, end - begin)))
          << "[" << begin << ", " << end << ")";
}

TEST(MerkleRandomizedTest, RootReadsOnePerfectNodePerOneBitOfTheSize) {
  const std::vector<Hash> leaves = RandomLeafHashes(300, 4);
  for (uint64_t n : {1, 2, 3, 7, 8, 13, 64, 255, 300}) {
    const NaiveSource src(leaves);
    RootHash(src, n);
    EXPECT_EQ(src.reads(), std::popcount(n)) << "size " << n;
  }
}

// ---- Refusals ----

TEST(MerkleProofTest, BadArgumentsAreInvalid) {
  const MemoryTree tree = TreeOf(CtLeafHashes());
  EXPECT_TRUE(StatusIs(InclusionProof(tree, 8, 8), absl::StatusCode::kInvalidArgument,
                       {"index: ", "8", "size 8"}));
  EXPECT_TRUE(StatusIs(InclusionProof(tree, 0, 0), absl::StatusCode::kInvalidArgument, {"0"}));
  EXPECT_TRUE(StatusIs(ConsistencyProof(tree, 5, 4), absl::StatusCode::kInvalidArgument,
                       {"first: ", "5", "4"}));
  EXPECT_TRUE(
      StatusIs(ConsistencyProof(tree, 0, 4), absl::StatusCode::kInvalidArgument, {"first: "}));
  const Hash leaf = tree.Node(0, 3);
  EXPECT_TRUE(StatusIs(VerifyInclusion(leaf, 3, 3, {}, tree.RootAt(3)),
                       absl::StatusCode::kInvalidArgument, {"leaf 3", "size 3"}));
  EXPECT_TRUE(StatusIs(VerifyConsistency(5, 4, tree.RootAt(5), tree.RootAt(4), {}),
                       absl::StatusCode::kInvalidArgument, {"5", "4"}));
  EXPECT_TRUE(StatusIs(VerifyConsistency(0, 4, EmptyRoot(), tree.RootAt(4), {}),
                       absl::StatusCode::kInvalidArgument, {"first: "}));
}

TEST(MerkleProofTest, EqualSizesNeedAnEmptyProofAndEqualRoots) {
  const MemoryTree tree = TreeOf(CtLeafHashes());
  const Hash r5 = tree.RootAt(5);
  EXPECT_TRUE(VerifyConsistency(5, 5, r5, r5, {}).ok());
  EXPECT_TRUE(StatusIs(VerifyConsistency(5, 5, r5, r5, {r5}), absl::StatusCode::kInvalidArgument,
                       {"has 1 hashes, expected 0"}));
  EXPECT_TRUE(StatusIs(VerifyConsistency(5, 5, r5, tree.RootAt(6), {}), absl::StatusCode::kDataLoss,
                       {"size 5", HashHex(r5).substr(0, 16)}));
}

// Every way of tampering with a correct inclusion proof, at every leaf of
// every tree size up to 40.
TEST(MerkleProofTest, TamperedInclusionProofsFail) {
  const std::vector<Hash> leaves = RandomLeafHashes(40, 5);
  const MemoryTree tree = TreeOf(leaves);
  for (uint64_t n = 1; n <= leaves.size(); ++n) {
    const Hash root = tree.RootAt(n);
    for (uint64_t i = 0; i < n; ++i) {
      SCOPED_TRACE(absl::StrCat("leaf ", i, " of ", n));
      std::vector<Hash> p = *InclusionProof(tree, i, n);
      ASSERT_TRUE(VerifyInclusion(leaves[i], i, n, p, root).ok());
      for (size_t k = 0; k < p.size(); ++k) {
        std::vector<Hash> bad = p;
        bad[k] = FlipBit(bad[k], static_cast<int>(7 * k + i));
        EXPECT_TRUE(StatusIs(VerifyInclusion(leaves[i], i, n, bad, root),
                             absl::StatusCode::kDataLoss, {"does not lead to root"}));
      }
      for (uint64_t j : {i - 1, i + 1, i ^ 2})
        if (j < n) {
          EXPECT_FALSE(VerifyInclusion(leaves[i], j, n, p, root).ok()) << "as leaf " << j;
        }
      EXPECT_FALSE(VerifyInclusion(leaves[i], i, n * 2, p, root).ok());
      if (i < n / 2) {
        EXPECT_FALSE(VerifyInclusion(leaves[i], i, n / 2, p, root).ok());
      }
      EXPECT_FALSE(VerifyInclusion(FlipBit(leaves[i], 0), i, n, p, root).ok());
      EXPECT_TRUE(StatusIs(VerifyInclusion(leaves[i], i, n, p, FlipBit(root, 255)),
                           absl::StatusCode::kDataLoss, {"does not lead to root"}));
      std::vector<Hash> longer = p;
      longer.push_back(root);
      EXPECT_TRUE(StatusIs(
          VerifyInclusion(leaves[i], i, n, longer, root), absl::StatusCode::kInvalidArgument,
          {"proof: ", absl::StrCat("has ", p.size() + 1, " hashes, expected ", p.size())}));
      longer.insert(longer.begin(), root);
      longer.pop_back();
      EXPECT_FALSE(VerifyInclusion(leaves[i], i, n, longer, root).ok());
      if (p.empty()) continue;
      p.pop_back();
      EXPECT_TRUE(StatusIs(VerifyInclusion(leaves[i], i, n, p, root),
                           absl::StatusCode::kInvalidArgument, {"proof: "}));
    }
  }
}

// As for inclusion, for every pair of sizes 1 <= m < n <= 40.
TEST(MerkleProofTest, TamperedConsistencyProofsFail) {
  const MemoryTree tree = TreeOf(RandomLeafHashes(40, 6));
  for (uint64_t n = 2; n <= tree.size(); ++n) {
    for (uint64_t m = 1; m < n; ++m) {
      SCOPED_TRACE(absl::StrCat(m, " -> ", n));
      const Hash r1 = tree.RootAt(m);
      const Hash r2 = tree.RootAt(n);
      std::vector<Hash> p = *ConsistencyProof(tree, m, n);
      ASSERT_TRUE(VerifyConsistency(m, n, r1, r2, p).ok());
      for (size_t k = 0; k < p.size(); ++k) {
        std::vector<Hash> bad = p;
        bad[k] = FlipBit(bad[k], static_cast<int>(5 * k + m));
        EXPECT_TRUE(StatusIs(VerifyConsistency(m, n, r1, r2, bad), absl::StatusCode::kDataLoss,
                             {"does not lead to"}));
      }
      for (uint64_t j : {m - 1, m + 1, m ^ 2})
        EXPECT_FALSE(VerifyConsistency(j, n, r1, r2, p).ok()) << "from " << j;
      EXPECT_FALSE(VerifyConsistency(m, n * 2, r1, r2, p).ok());
      EXPECT_FALSE(VerifyConsistency(m, n / 2, r1, r2, p).ok());
      // A first tree of 2^k leaves seeds the walk with its claimed root, so a
      // wrong one surfaces at the second root.
      EXPECT_TRUE(StatusIs(VerifyConsistency(m, n, FlipBit(r1, 3), r2, p),
                           absl::StatusCode::kDataLoss,
                           {std::has_single_bit(m) ? "second root" : "first root"}));
      EXPECT_TRUE(StatusIs(VerifyConsistency(m, n, r1, FlipBit(r2, 3), p),
                           absl::StatusCode::kDataLoss, {"second root"}));
      EXPECT_FALSE(VerifyConsistency(m, n, r2, r1, p).ok());
      EXPECT_TRUE(StatusIs(VerifyConsistency(m, n, r1, r2, {}), absl::StatusCode::kInvalidArgument,
                           {"proof: "}));
      std::vector<Hash> longer = p;
      longer.push_back(r1);
      EXPECT_TRUE(StatusIs(
          VerifyConsistency(m, n, r1, r2, longer), absl::StatusCode::kInvalidArgument,
          {"proof: ", absl::StrCat("has ", p.size() + 1, " hashes, expected ", p.size())}));
      longer.insert(longer.begin(), r1);
      longer.pop_back();
      EXPECT_FALSE(VerifyConsistency(m, n, r1, r2, longer).ok());
      p.pop_back();
      EXPECT_TRUE(StatusIs(VerifyConsistency(m, n, r1, r2, p), absl::StatusCode::kInvalidArgument,
                           {"proof: "}));
    }
  }
}

// RFC 9162's verification follows the path's shape, which some other sizes
// share: leaf 5's path in D[8] also verifies as a path in a tree of 7 leaves
// against the same root. The signed tree head must bind size and root.
TEST(MerkleProofTest, ThePathBindsTheRootNotTheSize) {
  const std::vector<Hash> leaves = CtLeafHashes();
  const MemoryTree tree = TreeOf(leaves);
  const std::vector<Hash> p = *InclusionProof(tree, 5, 8);
  EXPECT_TRUE(VerifyInclusion(leaves[5], 5, 7, p, tree.RootAt(8)).ok());
  EXPECT_FALSE(VerifyInclusion(leaves[5], 5, 7, p, tree.RootAt(7)).ok());
}

// ---- MemoryTree ----

TEST(MemoryTreeTest, NodesAndRootsMatchTheRfcAtEverySizeUpTo300) {
  const std::vector<Hash> leaves = RandomLeafHashes(300, 7);
  MemoryTree tree;
  std::vector<NodeRef> created;
  for (uint64_t old_size = 0; old_size < leaves.size(); ++old_size) {
    created.clear();
    tree.AppendAndCollect(leaves[old_size], &created);
    const uint64_t n = old_size + 1;
    ASSERT_EQ(tree.size(), n);
    ASSERT_EQ(tree.Root(), NaiveMth(Leaves(leaves).first(n))) << "size " << n;
    // Exactly the perfect nodes ending at leaf n - 1, from the leaf upward.
    ASSERT_EQ(created.size(), 1u + std::countr_one(old_size)) << "size " << n;
    for (size_t k = 0; k < created.size(); ++k) {
      const NodeRef& node = created[k];
      EXPECT_EQ(node.level, static_cast<int>(k));
      EXPECT_EQ(node.index, (n >> k) - 1);
      EXPECT_EQ(node.hash, NaiveMth(Leaves(leaves).subspan(node.index << k, uint64_t{1} << k)));
    }
  }
  for (int level = 0; (uint64_t{1} << level) <= tree.size(); ++level)
    for (uint64_t i = 0; (i + 1) << level <= tree.size(); ++i)
      ASSERT_EQ(tree.Node(level, i), NaiveMth(Leaves(leaves).subspan(i << level, 1u << level)));
  for (uint64_t n = 0; n <= tree.size(); ++n)
    ASSERT_EQ(tree.RootAt(n), NaiveMth(Leaves(leaves).first(n))) << "size " << n;
}

TEST(MemoryTreeTest, CollectAppendsWithoutClearing) {
  MemoryTree tree;
  std::vector<NodeRef> created;
  for (const Hash& leaf : CtLeafHashes()) tree.AppendAndCollect(leaf, &created);
  // 8 leaves, 4 pairs, 2 quads, 1 root: every perfect node once.
  EXPECT_EQ(created.size(), 15u);
  EXPECT_EQ(created.back().level, 3);
  EXPECT_EQ(created.back().hash, tree.Root());
}

TEST(MemoryTreeTest, TruncateUndoesAppendsExactly) {
  const std::vector<Hash> leaves = RandomLeafHashes(100, 11);
  for (uint64_t keep : {0u, 1u, 31u, 32u, 33u, 64u, 99u}) {
    MemoryTree tree = TreeOf(leaves);
    tree.Truncate(keep);
    ASSERT_EQ(tree.size(), keep);
    EXPECT_EQ(tree.Root(), NaiveMth(Leaves(leaves).first(keep))) << "keep " << keep;
    for (uint64_t i = keep; i < leaves.size(); ++i) tree.Append(leaves[i]);
    EXPECT_EQ(tree.Root(), NaiveMth(Leaves(leaves))) << "keep " << keep;
  }
}

TEST(MemoryTreeDeathTest, IncompleteNodeAborts) {
  MemoryTree tree = TreeOf(CtLeafHashes());
  tree.Append(LeafHash("ninth"));
  EXPECT_DEATH(tree.Node(1, 4), "not a complete node");
  EXPECT_DEATH(tree.RootAt(10), "RootAt");
}

}  // namespace
}  // namespace bidopen::log
