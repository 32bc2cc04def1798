#include "server/app/audit_app.h"

#include "absl/strings/str_cat.h"
#include "core/page_budget.h"
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
  std::vector<v1::LogEntry> entries;
  if (req.tender_id().empty()) {
    BO_ASSIGN_OR_RETURN(entries, store::ReadEntries(*conn, req.start(), end, kMaxEntries));
  } else {
    BO_ASSIGN_OR_RETURN(
        entries, store::ReadTenderEntries(*conn, req.tender_id(), req.start(), end, kMaxEntries));
    if (entries.empty() && req.start() == 0)
      return absl::NotFoundError(absl::StrCat("tender ", req.tender_id(), " has no events"));
  }
  return Page(std::move(entries), end);
}

// As many entries as fit in the response budget; next_start says where to
// go on when some were cut or the page reached kMaxEntries.
v1::GetEventsResponse AuditApp::Page(std::vector<v1::LogEntry> entries, uint64_t end) const {
  v1::GetEventsResponse out;
  PageBudget budget(response_bytes_);
  for (v1::LogEntry& e : entries) {
    if (!budget.Take(e.ByteSizeLong())) break;
    *out.add_entries() = std::move(e);
  }
  const bool more = budget.full() || entries.size() == static_cast<size_t>(kMaxEntries);
  if (more && out.entries_size() > 0) {
    const uint64_t next = out.entries(out.entries_size() - 1).seq() + 1;
    if (next < end) out.set_next_start(next);
  }
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
