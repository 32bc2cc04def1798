#include "client/audit_state.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "client/profile.h"
#include "core/crypto/sha256.h"
#include "core/files.h"
#include "core/status_macros.h"

namespace bidopen::client {

std::string RememberedHeadPath(const std::string& log_cert_pem) {
  return absl::StrCat(ConfigDir(), "/audit/",
                      crypto::Hex(crypto::Sha256(log_cert_pem)).substr(0, 32), ".json");
}

namespace {

std::string CitedHeadPath(const std::string& log_cert_pem) {
  std::string path = RememberedHeadPath(log_cert_pem);
  return path.substr(0, path.size() - 5) + ".cited.json";
}

absl::StatusOr<std::optional<v1::SignedTreeHead>> HeadAt(const std::string& path) {
  auto json = ReadFileBytes(path, "remembered head");
  if (!json.ok()) return std::nullopt;
  v1::SignedTreeHead head;
  if (!google::protobuf::util::JsonStringToMessage(*json, &head).ok())
    return absl::DataLossError(absl::StrCat(path, " does not parse; remove it to start over"));
  return head;
}

// Review 9 W1: a head signed with a future time, kept, would make every
// later honest log look backdated (NotBackdated, CheckTimes) and lock this
// user out until real time passed it. Refused beyond kMaxHeadAhead.
absl::Status NotAhead(const v1::SignedTreeHead& head) {
  const absl::Time t =
      absl::FromUnixNanos(google::protobuf::util::TimeUtil::TimestampToNanoseconds(head.time()));
  const absl::Time now = absl::Now();
  if (t <= now + kMaxHeadAhead) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "the server's signed tree head of ", head.size(), " events is timed ",
      absl::FormatTime(absl::RFC3339_full, t, absl::UTCTimeZone()), ", ",
      absl::FormatDuration(t - now),
      " ahead of this computer's clock: not kept (a head from the future would make every later "
      "log look backdated); check this computer's clock, or the server's"));
}

absl::Status WriteHead(const std::string& path, const v1::SignedTreeHead& head) {
  BO_RETURN_IF_ERROR(NotAhead(head));
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(head, &json);
  return WriteFileAtomically(path, json + "\n");
}

}  // namespace

absl::StatusOr<std::optional<v1::SignedTreeHead>> RememberedHead(const std::string& log_cert_pem) {
  return HeadAt(RememberedHeadPath(log_cert_pem));
}

absl::StatusOr<std::optional<v1::SignedTreeHead>> CitedHead(const std::string& log_cert_pem) {
  return HeadAt(CitedHeadPath(log_cert_pem));
}

absl::Status RememberCitedHead(const v1::SignedTreeHead& head) {
  BO_ASSIGN_OR_RETURN(auto old, CitedHead(head.log_certificate_pem()));
  if (old && google::protobuf::util::TimeUtil::TimestampToNanoseconds(old->time()) >=
                 google::protobuf::util::TimeUtil::TimestampToNanoseconds(head.time()))
    return absl::OkStatus();
  return WriteHead(CitedHeadPath(head.log_certificate_pem()), head);
}

absl::Status RememberHead(const v1::SignedTreeHead& head) {
  auto old = RememberedHead(head.log_certificate_pem());
  if (!old.ok()) return old.status();
  if (*old && (*old)->size() >= head.size()) return absl::OkStatus();
  return WriteHead(RememberedHeadPath(head.log_certificate_pem()), head);
}

}  // namespace bidopen::client
