// Merkle tree hashing, proofs and their verification exactly as RFC 9162
// (Certificate Transparency 2.0) §2.1 specifies them; the hashing is the same
// as RFC 6962's. Pure code: the tree's stored hashes come from a HashSource.
//
// Leaves are numbered from 0. A "perfect node" (level, index) is the root of
// leaves [index << level, (index + 1) << level); level 0 nodes are leaf hashes.
#ifndef BIDOPEN_CORE_LOG_MERKLE_H_
#define BIDOPEN_CORE_LOG_MERKLE_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bidopen::log {

using Hash = std::array<uint8_t, 32>;

// SHA-256(0x00 || leaf_bytes).
Hash LeafHash(absl::string_view leaf_bytes);

// SHA-256(0x01 || left || right).
Hash NodeHash(const Hash& left, const Hash& right);

// The root of the empty tree, SHA-256("").
Hash EmptyRoot();

// Lower-case hex, 64 characters.
std::string HashHex(const Hash& hash);

// INVALID_ARGUMENT unless `raw32` is exactly 32 bytes.
absl::StatusOr<Hash> HashFromBytes(absl::string_view raw32);

// Where the hashes of a tree's perfect nodes come from (memory, a store).
class HashSource {
 public:
  virtual ~HashSource() = default;
  // The root of leaves [index << level, (index + 1) << level).
  // REQUIRES: that subtree is complete in the tree.
  virtual Hash Node(int level, uint64_t index) const = 0;
};

// MTH of leaves [begin, end), splitting per RFC 9162 §2.1.1 (k = the largest
// power of two < n). EmptyRoot() when begin == end. When [begin, end) is a
// subtree of an RFC tree (any range the proofs below use) this reads
// O(log n) perfect nodes; an arbitrary unaligned range may read O(n).
// REQUIRES: begin <= end and leaves [0, end) exist in `src`.
Hash RangeHash(const HashSource& src, uint64_t begin, uint64_t end);

// MTH(D[size]): the root of the first `size` leaves; EmptyRoot() for 0.
// Reads exactly popcount(size) perfect nodes.
Hash RootHash(const HashSource& src, uint64_t size);

// PATH(index, D[size]) of RFC 9162 §2.1.3.1, leaf-side sibling first.
// INVALID_ARGUMENT if index >= size.
absl::StatusOr<std::vector<Hash>> InclusionProof(const HashSource& src, uint64_t index,
                                                 uint64_t size);

// PROOF(first, D[second]) of RFC 9162 §2.1.4.1; empty when first == second.
// INVALID_ARGUMENT if first == 0 or first > second.
absl::StatusOr<std::vector<Hash>> ConsistencyProof(const HashSource& src, uint64_t first,
                                                   uint64_t second);

// The number of hashes in PATH(index, D[size]) and PROOF(first, D[second]).
// REQUIRES: index < size; 0 < first <= second.
size_t InclusionProofLength(uint64_t index, uint64_t size);
size_t ConsistencyProofLength(uint64_t first, uint64_t second);

// RFC 9162 §2.1.3.2. OK if `proof` leads from `leaf_hash` at `index` to
// `root` of a tree of `size` leaves; INVALID_ARGUMENT if index >= size or the
// proof has the wrong number of hashes; DATA_LOSS if it leads elsewhere.
// Note (as in the RFC): the path does not bind `size` by itself; the same
// path may verify for another size with the same shape. The root binds.
absl::Status VerifyInclusion(const Hash& leaf_hash, uint64_t index, uint64_t size,
                             const std::vector<Hash>& proof, const Hash& root);

// RFC 9162 §2.1.4.2. OK if `proof` shows the tree of `first` leaves with
// `first_root` is a prefix of the tree of `second` leaves with `second_root`.
// When first == second the proof must be empty and the roots equal.
// INVALID_ARGUMENT if first == 0, first > second or the proof has the wrong
// number of hashes; DATA_LOSS if it does not lead to both roots.
absl::Status VerifyConsistency(uint64_t first, uint64_t second, const Hash& first_root,
                               const Hash& second_root, const std::vector<Hash>& proof);

}  // namespace bidopen::log

#endif  // BIDOPEN_CORE_LOG_MERKLE_H_
