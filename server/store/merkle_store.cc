#include "server/store/merkle_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/log/checkpoint.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen::store {
namespace {

// Levels and indexes as text arrays, the hashes as one binary blob.
constexpr Statement kInsertNodes{
    "merkle_insert",
    "INSERT INTO merkle_nodes (level, idx, hash)"
    " SELECT l, i, substring($3::bytea FROM ((n - 1) * 32 + 1)::int FOR 32)"
    " FROM unnest($1::smallint[], $2::bigint[]) WITH ORDINALITY AS t(l, i, n)"};
constexpr Statement kLeaves{"merkle_leaves",
                            "SELECT idx, hash FROM merkle_nodes WHERE level = 0 ORDER BY idx"};
constexpr Statement kInsertHead{
    "head_insert",
    "INSERT INTO tree_heads (size, root, checkpoint, signature) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT (size) DO NOTHING"};
constexpr Statement kLatestHead{
    "head_latest",
    "SELECT size, root, checkpoint, signature FROM tree_heads ORDER BY size DESC LIMIT 1"};

}  // namespace

absl::Status InsertNodes(Conn& conn, const std::vector<log::NodeRef>& nodes) {
  if (nodes.empty()) return absl::OkStatus();
  std::vector<int> levels;
  std::vector<uint64_t> indexes;
  std::string hashes;
  for (const auto& n : nodes) {
    levels.push_back(n.level);
    indexes.push_back(n.index);
    hashes.append(reinterpret_cast<const char*>(n.hash.data()), n.hash.size());
  }
  return conn
      .Run(kInsertNodes, Params()
                             .Text(absl::StrCat("{", absl::StrJoin(levels, ","), "}"))
                             .Text(absl::StrCat("{", absl::StrJoin(indexes, ","), "}"))
                             .Bytes(hashes))
      .status();
}

absl::StatusOr<std::vector<log::Hash>> LoadLeafHashes(Conn& conn) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kLeaves));
  std::vector<log::Hash> leaves;
  leaves.reserve(r.rows());
  for (int i = 0; i < r.rows(); ++i) {
    if (r.Int64(i, 0) != i)
      return absl::DataLossError(absl::StrCat("merkle_nodes: leaf hash ", i, " is missing"));
    BO_ASSIGN_OR_RETURN(leaves.emplace_back(), log::HashFromBytes(r.Bytes(i, 1)));
  }
  return leaves;
}

absl::Status InsertTreeHead(Conn& conn, const v1::SignedTreeHead& head) {
  return conn
      .Run(kInsertHead, Params()
                            .Int(static_cast<int64_t>(head.size()))
                            .Bytes(head.root_hash())
                            .Text(head.checkpoint())
                            .Bytes(head.signature()))
      .status();
}

absl::StatusOr<std::optional<v1::SignedTreeHead>> LatestTreeHead(Conn& conn) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kLatestHead));
  if (r.rows() == 0) return std::nullopt;
  v1::SignedTreeHead head;
  head.set_size(static_cast<uint64_t>(r.Int64(0, 0)));
  head.set_root_hash(std::string(r.Bytes(0, 1)));
  head.set_checkpoint(std::string(r.Bytes(0, 2)));
  head.set_signature(std::string(r.Bytes(0, 3)));
  BO_ASSIGN_OR_RETURN(log::Checkpoint c, log::ParseCheckpoint(head.checkpoint()));
  *head.mutable_time() = ToProto(c.time);
  return head;
}

}  // namespace bidopen::store
