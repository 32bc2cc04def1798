#include "server/audit/integrity.h"

#include "absl/strings/str_cat.h"
#include "core/crypto/signature.h"
#include "core/opening/event_codec.h"
#include "core/status_macros.h"
#include "server/store/entries.h"

namespace bidopen::audit {
namespace {

constexpr int kBatch = 10000;

std::string Short(const log::Hash& h) { return log::HashHex(h).substr(0, 16); }

absl::Status CheckOne(uint64_t seq, absl::string_view bytes, const std::vector<log::Hash>& stored,
                      uint64_t attested, std::vector<log::Hash>* backfill) {
  BO_RETURN_IF_ERROR(DecodeEvent(bytes, seq).status());
  log::Hash leaf = log::LeafHash(bytes);
  if (seq < stored.size()) {
    if (leaf == stored[seq]) return absl::OkStatus();
    return absl::DataLossError(absl::StrCat("event ", seq, ": stored bytes hash to ", Short(leaf),
                                            "..., the Merkle tree has ", Short(stored[seq]),
                                            "... (changed after it was logged)"));
  }
  if (seq < attested)
    return absl::DataLossError(
        absl::StrCat("event ", seq, ": no leaf hash stored, yet a signed tree head covers it"));
  backfill->push_back(leaf);
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckEvents(store::Conn& conn, uint64_t log_size, const std::vector<log::Hash>& stored,
                         uint64_t attested, std::vector<log::Hash>* backfill) {
  if (stored.size() > log_size)
    return absl::DataLossError(absl::StrCat("the Merkle tree has ", stored.size(),
                                            " leaves but the log only ", log_size, " events"));
  uint64_t expected = 0;
  for (uint64_t from = 0; from < log_size; from += kBatch) {
    BO_ASSIGN_OR_RETURN(auto entries, store::ReadEntries(conn, from, from + kBatch, kBatch));
    for (const v1::LogEntry& entry : entries) {
      if (entry.seq() != expected)
        return absl::DataLossError(absl::StrCat("event ", expected, " is missing"));
      BO_RETURN_IF_ERROR(CheckOne(entry.seq(), entry.event(), stored, attested, backfill));
      ++expected;
    }
  }
  if (expected != log_size)
    return absl::DataLossError(absl::StrCat("event ", expected, " is missing"));
  return absl::OkStatus();
}

absl::Status CheckHead(const store::MerkleTree& tree, const v1::SignedTreeHead& head,
                       absl::string_view log_cert_pem) {
  if (head.size() > tree.committed_size())
    return absl::DataLossError(absl::StrCat("a signed tree head covers ", head.size(),
                                            " events but the log has ", tree.committed_size()));
  log::Hash root = tree.RootAt(head.size());
  if (std::string(root.begin(), root.end()) != head.root_hash())
    return absl::DataLossError(absl::StrCat(
        "the first ", head.size(), " events hash to root ", Short(root),
        "..., not the root of the signed tree head for that size: the log was rewritten"));
  absl::Status sig = crypto::VerifySignature(log_cert_pem, head.checkpoint(), head.signature());
  if (!sig.ok())
    return absl::DataLossError(absl::StrCat("the stored tree head of size ", head.size(),
                                            " is not signed by this log's key"));
  return absl::OkStatus();
}

}  // namespace bidopen::audit
