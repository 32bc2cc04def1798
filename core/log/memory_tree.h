// An append-only Merkle tree held in memory as its perfect nodes.
#ifndef BIDOPEN_CORE_LOG_MEMORY_TREE_H_
#define BIDOPEN_CORE_LOG_MEMORY_TREE_H_

#include <cstdint>
#include <vector>

#include "core/log/merkle.h"

namespace bidopen::log {

// A perfect node (see merkle.h) and its hash.
struct NodeRef {
  int level;
  uint64_t index;
  Hash hash;
};

// Keeps every perfect node: levels_[0] are the leaf hashes and
// levels_[L][i] = NodeHash(levels_[L-1][2i], levels_[L-1][2i+1]), added as
// soon as both children exist. About 2n hashes for n leaves; an append costs
// amortized O(1) hashes. Roots and proofs of any size up to size() come from
// merkle.h over this HashSource. Not thread-safe for concurrent Append.
class MemoryTree final : public HashSource {
 public:
  MemoryTree() = default;

  void Append(const Hash& leaf_hash);

  // Append, then add to `*created` (which it does not clear) every perfect node
  // this append completed, lowest level first: the leaf itself, then one node
  // per trailing one-bit of the old size. A store persists exactly these.
  void AppendAndCollect(const Hash& leaf_hash, std::vector<NodeRef>* created);

  // Drops the leaves from `size` on (and the nodes that cover them); a no-op
  // if the tree is not larger.
  void Truncate(uint64_t size);
  uint64_t size() const { return levels_.empty() ? 0 : levels_[0].size(); }

  // MTH of all leaves; EmptyRoot() when empty.
  Hash Root() const;

  // MTH of the first `size` leaves. REQUIRES: size <= this->size().
  Hash RootAt(uint64_t size) const;

  // REQUIRES: the node is complete (aborts otherwise).
  Hash Node(int level, uint64_t index) const override;

 private:
  std::vector<std::vector<Hash>> levels_;
};

}  // namespace bidopen::log

#endif  // BIDOPEN_CORE_LOG_MEMORY_TREE_H_
