#include "core/log/merkle.h"

#include <openssl/evp.h>

#include <bit>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>

#include "absl/strings/str_cat.h"
#include "core/crypto/ossl.h"
#include "core/crypto/sha256.h"

namespace bidopen::log {
namespace {

constexpr unsigned char kLeafPrefix = 0x00;
constexpr unsigned char kNodePrefix = 0x01;

// SHA-256 only fails when OpenSSL cannot allocate; there is no answer to give.
[[noreturn]] void HashingFailed() {
  std::fputs("bidopen::log: OpenSSL SHA-256 failed\n", stderr);
  std::abort();
}

// SHA-256 fetched once; every hash of the tree goes through it.
const EVP_MD* Sha256Md() {
  static const crypto::MdPtr md(
      EVP_MD_fetch(nullptr, "SHA256", nullptr));
  if (md == nullptr) HashingFailed();
  return md.get();
}

// SHA-256(prefix || a || b), reusing one digest context per thread.
Hash PrefixedDigest(unsigned char prefix, const void* a, size_t a_len, const void* b,
                    size_t b_len) {
  thread_local const crypto::MdCtxPtr ctx(EVP_MD_CTX_new());
  Hash out;
  unsigned int out_len = 0;
  if (ctx == nullptr || EVP_DigestInit_ex2(ctx.get(), Sha256Md(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), &prefix, 1) != 1 || EVP_DigestUpdate(ctx.get(), a, a_len) != 1 ||
      EVP_DigestUpdate(ctx.get(), b, b_len) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out.data(), &out_len) != 1 || out_len != out.size())
    HashingFailed();
  return out;
}

std::string Prefix(const Hash& hash) { return HashHex(hash).substr(0, 16); }

// The largest power of two < n. REQUIRES: n >= 2.
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

// Appends PATH(index - begin, D[begin:end]) to `out`.
void AppendPath(const HashSource& src, uint64_t index, uint64_t begin, uint64_t end,
                std::vector<Hash>* out) {
  if (end - begin <= 1) return;
  const uint64_t mid = begin + SplitPoint(end - begin);
  if (index < mid) {
    AppendPath(src, index, begin, mid, out);
    out->push_back(RangeHash(src, mid, end));
  } else {
    AppendPath(src, index, mid, end, out);
    out->push_back(RangeHash(src, begin, mid));
  }
}

// Appends SUBPROOF(first - begin, D[begin:end], complete) to `out`.
void AppendSubproof(const HashSource& src, uint64_t first, uint64_t begin, uint64_t end,
                    bool complete, std::vector<Hash>* out) {
  if (first == end) {
    if (!complete) out->push_back(RangeHash(src, begin, end));
    return;
  }
  const uint64_t mid = begin + SplitPoint(end - begin);
  if (first <= mid) {
    AppendSubproof(src, first, begin, mid, complete, out);
    out->push_back(RangeHash(src, mid, end));
  } else {
    AppendSubproof(src, first, mid, end, false, out);
    out->push_back(RangeHash(src, begin, mid));
  }
}

absl::Status CheckInclusionArgs(uint64_t index, uint64_t size) {
  if (index < size) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("index: leaf ", index, " is not in a tree of size ", size));
}

absl::Status CheckConsistencyArgs(uint64_t first, uint64_t second) {
  if (first == 0)
    return absl::InvalidArgumentError(
        "first: a consistency proof needs a first tree of at least one leaf");
  if (first > second)
    return absl::InvalidArgumentError(
        absl::StrCat("first: tree size ", first, " is larger than second tree size ", second));
  return absl::OkStatus();
}

absl::Status WrongLength(absl::string_view what, size_t got, size_t want) {
  return absl::InvalidArgumentError(
      absl::StrCat("proof: ", what, " has ", got, " hashes, expected ", want));
}

// Right-shifts fn and sn together while `fn` has the given low bit.
void ShiftWhileLsb(uint64_t* fn, uint64_t* sn, bool lsb) {
  while (*fn != 0 && ((*fn & 1) != 0) == lsb) {
    *fn >>= 1;
    *sn >>= 1;
  }
}

// One step of the RFC 9162 §2.1.3.2 / §2.1.4.2 walks with proof hash `p`:
// when (fn, sn) says p is a left sibling, both roots take it on the left;
// otherwise only the second root grows, with p on the right.
void Step(const Hash& p, uint64_t* fn, uint64_t* sn, Hash* first, Hash* second) {
  if ((*fn & 1) != 0 || *fn == *sn) {
    if (first != nullptr) *first = NodeHash(p, *first);
    *second = NodeHash(p, *second);
    ShiftWhileLsb(fn, sn, /*lsb=*/false);
  } else {
    *second = NodeHash(*second, p);
  }
  *fn >>= 1;
  *sn >>= 1;
}

// RFC 9162 §2.1.3.2 steps 2-5 (without the root comparison): the root the
// path leads to, or nullopt if the path has the wrong number of hashes.
// REQUIRES: index < size.
std::optional<Hash> WalkInclusion(const Hash& leaf_hash, uint64_t index, uint64_t size,
                                  const std::vector<Hash>& proof) {
  uint64_t fn = index;
  uint64_t sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) return std::nullopt;
    Step(p, &fn, &sn, nullptr, &r);
  }
  if (sn != 0) return std::nullopt;
  return r;
}

struct RootPair {
  Hash first;
  Hash second;
};

// RFC 9162 §2.1.4.2 steps 1-7 (without the root comparisons): the roots the
// proof leads to, or nullopt on a wrong number of hashes.
// REQUIRES: 0 < first < second.
std::optional<RootPair> WalkConsistency(uint64_t first, uint64_t second, const Hash& first_root,
                                        const std::vector<Hash>& proof) {
  if (proof.empty()) return std::nullopt;
  // A first tree of 2^k leaves is a perfect node of the second tree: the
  // RFC prepends its root to the proof.
  const bool prepend_root = std::has_single_bit(first);
  RootPair r;
  r.first = r.second = prepend_root ? first_root : proof[0];
  uint64_t fn = first - 1;
  uint64_t sn = second - 1;
  ShiftWhileLsb(&fn, &sn, /*lsb=*/true);
  for (size_t i = prepend_root ? 0 : 1; i < proof.size(); ++i) {
    if (sn == 0) return std::nullopt;
    Step(proof[i], &fn, &sn, &r.first, &r.second);
  }
  if (sn != 0) return std::nullopt;
  return r;
}

absl::Status Mismatch(absl::string_view what, absl::string_view which, const Hash& want,
                      const Hash& got) {
  return absl::DataLossError(absl::StrCat(what, " does not lead to ", which, " ", Prefix(want),
                                          " (it leads to ", Prefix(got), ")"));
}

}  // namespace

Hash LeafHash(absl::string_view leaf_bytes) {
  return PrefixedDigest(kLeafPrefix, leaf_bytes.data(), leaf_bytes.size(), nullptr, 0);
}

Hash NodeHash(const Hash& left, const Hash& right) {
  return PrefixedDigest(kNodePrefix, left.data(), left.size(), right.data(), right.size());
}

Hash EmptyRoot() {
  static const Hash kEmpty = [] {
    Hash h;
    unsigned int len = 0;
    if (EVP_Digest("", 0, h.data(), &len, Sha256Md(), nullptr) != 1) HashingFailed();
    return h;
  }();
  return kEmpty;
}

std::string HashHex(const Hash& hash) {
  return crypto::Hex(absl::string_view(reinterpret_cast<const char*>(hash.data()), hash.size()));
}

absl::StatusOr<Hash> HashFromBytes(absl::string_view raw32) {
  Hash h;
  if (raw32.size() != h.size())
    return absl::InvalidArgumentError(
        absl::StrCat("hash: must be ", h.size(), " bytes, got ", raw32.size()));
  std::memcpy(h.data(), raw32.data(), h.size());
  return h;
}

Hash RangeHash(const HashSource& src, uint64_t begin, uint64_t end) {
  const uint64_t n = end - begin;
  if (n == 0) return EmptyRoot();
  if (std::has_single_bit(n) && begin % n == 0) {
    const int level = std::countr_zero(n);
    return src.Node(level, begin >> level);
  }
  const uint64_t mid = begin + SplitPoint(n);
  return NodeHash(RangeHash(src, begin, mid), RangeHash(src, mid, end));
}

Hash RootHash(const HashSource& src, uint64_t size) { return RangeHash(src, 0, size); }

absl::StatusOr<std::vector<Hash>> InclusionProof(const HashSource& src, uint64_t index,
                                                 uint64_t size) {
  if (absl::Status st = CheckInclusionArgs(index, size); !st.ok()) return st;
  std::vector<Hash> proof;
  proof.reserve(InclusionProofLength(index, size));
  AppendPath(src, index, 0, size, &proof);
  return proof;
}

absl::StatusOr<std::vector<Hash>> ConsistencyProof(const HashSource& src, uint64_t first,
                                                   uint64_t second) {
  if (absl::Status st = CheckConsistencyArgs(first, second); !st.ok()) return st;
  std::vector<Hash> proof;
  proof.reserve(ConsistencyProofLength(first, second));
  AppendSubproof(src, first, 0, second, /*complete=*/true, &proof);
  return proof;
}

// The path climbs `inner` levels inside the perfect subtree the leaf shares
// with the tree's last leaf, then takes one hash per left-hand border node.
size_t InclusionProofLength(uint64_t index, uint64_t size) {
  const int inner = std::bit_width(index ^ (size - 1));
  return inner + std::popcount(index >> inner);
}

// As the path of leaf first - 1 in D[second], less the levels below the
// perfect node that ends the first tree, plus that node itself unless it is
// the whole first tree (a power of two, whose root the verifier already has).
size_t ConsistencyProofLength(uint64_t first, uint64_t second) {
  if (first == second) return 0;
  const int shift = std::countr_zero(first);
  return InclusionProofLength(first - 1, second) - shift + (std::has_single_bit(first) ? 0 : 1);
}

absl::Status VerifyInclusion(const Hash& leaf_hash, uint64_t index, uint64_t size,
                             const std::vector<Hash>& proof, const Hash& root) {
  if (absl::Status st = CheckInclusionArgs(index, size); !st.ok()) return st;
  const std::string what =
      absl::StrCat("inclusion proof for leaf ", index, " in tree of size ", size);
  const std::optional<Hash> r = WalkInclusion(leaf_hash, index, size, proof);
  if (!r.has_value()) return WrongLength(what, proof.size(), InclusionProofLength(index, size));
  if (*r != root) return Mismatch(what, "root", root, *r);
  return absl::OkStatus();
}

absl::Status VerifyConsistency(uint64_t first, uint64_t second, const Hash& first_root,
                               const Hash& second_root, const std::vector<Hash>& proof) {
  if (absl::Status st = CheckConsistencyArgs(first, second); !st.ok()) return st;
  const std::string what = absl::StrCat("consistency proof from size ", first, " to size ", second);
  if (first == second) {
    if (!proof.empty()) return WrongLength(what, proof.size(), 0);
    if (first_root == second_root) return absl::OkStatus();
    return absl::DataLossError(absl::StrCat("trees of size ", first, " have different roots ",
                                            Prefix(first_root), " and ", Prefix(second_root)));
  }
  const std::optional<RootPair> r = WalkConsistency(first, second, first_root, proof);
  if (!r.has_value()) return WrongLength(what, proof.size(), ConsistencyProofLength(first, second));
  if (r->first != first_root) return Mismatch(what, "first root", first_root, r->first);
  if (r->second != second_root) return Mismatch(what, "second root", second_root, r->second);
  return absl::OkStatus();
}

}  // namespace bidopen::log
