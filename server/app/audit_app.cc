#include "server/app/audit_app.h"

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "server/store/entries.h"

namespace bidopen::app {
namespace {

void AddPath(const std::vector<log::Hash>& path,
             google::protobuf::RepeatedPtrField<std::string>* out) {
  for (const log::Hash& h : path) out->Add(std::string(h.begin(), h.end()));
}

}  // namespace

absl::StatusOr<v1::GetEventsResponse> AuditApp::Events(const v1::GetEventsRequest& req) {
  const uint64_t size = log_.tree().committed_size();
  uint64_t end = req.end() == 0 ? size : req.end();
  if (end > size)
    return absl::OutOfRangeError(
        absl::StrCat("end: ", req.end(), " is beyond the log's size ", size));
  if (req.start() > end)
    return absl::InvalidArgumentError(absl::StrCat("start: ", req.start(), " is after end ", end));
  BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_.Acquire());
  v1::GetEventsResponse out;
  if (!req.tender_id().empty()) {
    BO_ASSIGN_OR_RETURN(auto entries, store::ReadTenderEntries(*conn, req.tender_id(), end));
    if (entries.empty())
      return absl::NotFoundError(absl::StrCat("tender ", req.tender_id(), " has no events"));
    for (auto& e : entries) *out.add_entries() = std::move(e);
    return out;
  }
  BO_ASSIGN_OR_RETURN(auto entries, store::ReadEntries(*conn, req.start(), end, kMaxEntries));
  for (const auto& e : entries) *out.add_entries() = e;
  if (entries.size() == static_cast<size_t>(kMaxEntries) && entries.back().seq() + 1 < end)
    out.set_next_start(entries.back().seq() + 1);
  return out;
}

absl::StatusOr<v1::InclusionProof> AuditApp::Inclusion(const v1::GetInclusionProofRequest& req) {
  BO_ASSIGN_OR_RETURN(auto path, log_.tree().InclusionProof(req.index(), req.tree_size()));
  v1::InclusionProof out;
  out.set_index(req.index());
  out.set_tree_size(req.tree_size());
  AddPath(path, out.mutable_path());
  return out;
}

absl::StatusOr<v1::ConsistencyProof> AuditApp::Consistency(
    const v1::GetConsistencyProofRequest& req) {
  BO_ASSIGN_OR_RETURN(auto path, log_.tree().ConsistencyProof(req.first(), req.second()));
  v1::ConsistencyProof out;
  out.set_first(req.first());
  out.set_second(req.second());
  AddPath(path, out.mutable_path());
  return out;
}

}  // namespace bidopen::app
