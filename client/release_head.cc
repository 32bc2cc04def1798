#include "client/release_head.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "client/audit_bundle.h"
#include "client/log_head.h"
#include "core/log/bundle.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen::client {
namespace {

absl::Status NotOneHistory(const v1::SignedTreeHead& now, const v1::SignedTreeHead& verified,
                           absl::string_view why) {
  return absl::DataLossError(absl::StrCat(
      "the server's signed time (a head of size ", now.size(), ", timed ",
      TimeText(now.time(), absl::UTCTimeZone()), ") is not a head of the log you verified (size ",
      verified.size(), "): ", why,
      "; nothing was unwrapped or sent (a head of a size the log had not reached, or a forked "
      "log)"));
}

// The proof between the two heads, smaller first.
absl::StatusOr<std::vector<log::Hash>> Between(const Session& s, const v1::SignedTreeHead& a,
                                               const v1::SignedTreeHead& b) {
  AuditStub stub = v1::AuditService::NewStub(s.channel);
  BO_ASSIGN_OR_RETURN(
      v1::ConsistencyProof p,
      FetchConsistency(s, stub, std::min(a.size(), b.size()), std::max(a.size(), b.size())));
  return log::PathOf(p.path());
}

}  // namespace

absl::Status CheckOneHistory(const v1::SignedTreeHead& now, const v1::SignedTreeHead& verified,
                             const std::vector<log::Hash>& path) {
  if (now.log_certificate_pem() != verified.log_certificate_pem())
    return NotOneHistory(now, verified, "it is signed by another log certificate");
  const bool now_first = now.size() <= verified.size();
  const absl::Status st =
      now_first ? log::CheckExtends(now, verified, path) : log::CheckExtends(verified, now, path);
  if (st.ok()) return st;
  return NotOneHistory(now, verified, st.message());
}

absl::Status CheckCitable(const v1::SignedTreeHead& now, const v1::SignedTreeHead& verified,
                          const std::vector<log::Hash>& path) {
  if (now.size() > verified.size()) return NotOneHistory(now, verified, "it is past the log's end");
  return CheckOneHistory(now, verified, path);
}

absl::StatusOr<v1::SignedTreeHead> CitableHead(const Session& s, const v1::SignedTreeHead& now,
                                               const v1::SignedTreeHead& verified) {
  std::vector<log::Hash> path;
  if (now.size() <= verified.size()) {
    BO_ASSIGN_OR_RETURN(path, Between(s, now, verified));
  }
  BO_RETURN_IF_ERROR(CheckCitable(now, verified, path));
  return now;
}

absl::Status HeadsSeen::Keep(const Session& s, const v1::SignedTreeHead& now) {
  if (largest_) {
    BO_ASSIGN_OR_RETURN(std::vector<log::Hash> path, Between(s, now, *largest_));
    BO_RETURN_IF_ERROR(CheckOneHistory(now, *largest_, path));
  }
  Record(now);
  return absl::OkStatus();
}

absl::Status HeadsSeen::ProveIn(const Session& s, const v1::SignedTreeHead& verified) const {
  if (!largest_) return absl::OkStatus();
  return CitableHead(s, *largest_, verified).status();
}

void HeadsSeen::Record(const v1::SignedTreeHead& head) {
  if (!largest_ || largest_->size() < head.size()) largest_ = head;
  auto [it, added] = latest_.try_emplace(head.size(), head.time());
  if (!added && FromProto(it->second) < FromProto(head.time())) it->second = head.time();
}

absl::Status HeadsSeen::NotBackdated(uint64_t seq, const google::protobuf::Timestamp& time) const {
  const std::pair<const uint64_t, google::protobuf::Timestamp>* latest = nullptr;
  for (auto it = latest_.begin(); it != latest_.end() && it->first <= seq; ++it)
    if (latest == nullptr || FromProto(latest->second) < FromProto(it->second)) latest = &*it;
  if (latest == nullptr) return absl::OkStatus();
  v1::SignedTreeHead seen;
  seen.set_size(latest->first);
  *seen.mutable_time() = latest->second;
  return client::NotBackdated(seq, time, seen);
}

}  // namespace bidopen::client
