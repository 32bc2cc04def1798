#include "client/tender_request.h"

#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/opening/lot_rules.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"
#include "platform/files.h"

namespace bidopen::client {
namespace {

absl::StatusOr<v1::CreateTenderRequest> FromSpecFile(const std::string& path) {
  BO_ASSIGN_OR_RETURN(std::string json, ReadFileBytes(path, "--spec"));
  v1::CreateTenderRequest req;
  auto st = google::protobuf::util::JsonStringToMessage(json, &req);
  if (!st.ok())
    return absl::InvalidArgumentError(
        absl::StrCat("--spec ", path, ": ", st.message().as_string()));
  return req;
}

absl::StatusOr<v1::FormField> ParseField(const std::string& text) {
  std::vector<std::string> parts = absl::StrSplit(text, absl::MaxSplits(':', 2));
  if (parts.size() < 2)
    return absl::InvalidArgumentError(
        absl::StrCat("--field \"", text, "\": write name:type[:unit], e.g. price:decimal:CNY"));
  v1::FormField f;
  f.set_name(parts[0]);
  auto type = ParseFieldType(parts[1]);
  if (!type.ok())
    return absl::InvalidArgumentError(
        absl::StrCat("--field \"", text, "\": ", type.status().message()));
  f.set_type(*type);
  if (parts.size() == 3) f.set_unit(parts[2]);
  f.set_required(true);
  return f;
}

bool IsFingerprint(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!absl::ascii_isxdigit(c)) return false;
  return true;
}

absl::StatusOr<std::string> ResolveCustodian(const std::string& ref,
                                             const std::vector<v1::RegisteredKey>& keys) {
  if (IsFingerprint(ref)) return absl::AsciiStrToLower(ref);
  std::vector<std::string> found;
  for (const auto& k : keys)
    if (k.party().organization() == ref || k.party().common_name() == ref)
      found.push_back(k.party().fingerprint());
  if (found.size() == 1) return found[0];
  return absl::InvalidArgumentError(
      absl::StrCat("--custodian \"", ref, "\": ", found.empty() ? "no" : "more than one",
                   " registered custodian has this organization or name; give the fingerprint "
                   "(bidctl identity keys --role custodian)"));
}

absl::StatusOr<absl::Time> Time(const std::string& flag, const std::string& text,
                                absl::TimeZone zone) {
  auto t = ParseTime(text, zone);
  if (!t.ok()) return absl::InvalidArgumentError(absl::StrCat(flag, ": ", t.status().message()));
  return *t;
}

// A duration flag into `out` when given.
absl::Status Duration(absl::string_view flag, const std::string& text,
                      google::protobuf::Duration* out) {
  if (text.empty()) return absl::OkStatus();
  absl::Duration d;
  if (!absl::ParseDuration(text, &d))
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": \"", text, "\" is not a duration; write e.g. 30m or 1h30m"));
  *out = ToProto(d);
  return absl::OkStatus();
}

absl::Status FillSchedule(const CreateFlags& f, absl::TimeZone zone, v1::LotSpec* lot) {
  if (f.deadline.empty()) return absl::InvalidArgumentError("--deadline: required");
  BO_ASSIGN_OR_RETURN(absl::Time deadline, Time("--deadline", f.deadline, zone));
  *lot->mutable_submission_deadline() = ToProto(deadline);
  absl::Time opening = deadline;
  if (!f.opening.empty()) {
    BO_ASSIGN_OR_RETURN(opening, Time("--opening", f.opening, zone));
  }
  *lot->mutable_opening_time() = ToProto(opening);
  if (!f.window.empty())
    BO_RETURN_IF_ERROR(Duration("--window", f.window, lot->mutable_decryption_window()));
  if (!f.sign_in_lead.empty())
    BO_RETURN_IF_ERROR(Duration("--sign-in-lead", f.sign_in_lead, lot->mutable_sign_in_lead()));
  if (!f.confirm_window.empty())
    BO_RETURN_IF_ERROR(
        Duration("--confirm-window", f.confirm_window, lot->mutable_confirmation_window()));
  if (f.objection_limit != 0) lot->set_objection_limit(f.objection_limit);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::FieldType> ParseFieldType(const std::string& name) {
  for (auto t :
       {v1::FIELD_TYPE_DECIMAL, v1::FIELD_TYPE_INT, v1::FIELD_TYPE_TEXT, v1::FIELD_TYPE_DATE})
    if (FieldTypeName(t) == name) return t;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown type \"", name, "\"; use decimal, int, text or date"));
}

absl::StatusOr<v1::OpeningPolicy> ParsePolicy(const std::string& name) {
  std::string upper = absl::AsciiStrToUpper(name);
  for (auto p : {v1::OPENING_POLICY_BIDDER, v1::OPENING_POLICY_QUORUM, v1::OPENING_POLICY_ANY,
                 v1::OPENING_POLICY_BOTH})
    if (PolicyName(p) == upper) return p;
  return absl::InvalidArgumentError(
      absl::StrCat("--policy: \"", name, "\"; use BIDDER, QUORUM, ANY or BOTH"));
}

absl::StatusOr<v1::CreateTenderRequest> BuildCreate(
    const CreateFlags& f, const std::vector<v1::RegisteredKey>& registered) {
  if (!f.spec_file.empty()) {
    BO_ASSIGN_OR_RETURN(v1::CreateTenderRequest req, FromSpecFile(f.spec_file));
    if (f.auto_start)
      for (v1::LotSpec& lot : *req.mutable_lots()) lot.set_auto_start(true);
    return req;
  }
  v1::CreateTenderRequest req;
  req.set_title(f.title);
  req.set_reference(f.reference);
  req.set_time_zone(f.time_zone);
  BO_ASSIGN_OR_RETURN(absl::TimeZone zone, LoadZone(f.time_zone, "--timezone"));
  v1::LotSpec* lot = req.add_lots();
  lot->set_title(f.lot_title.empty() ? f.title : f.lot_title);
  BO_RETURN_IF_ERROR(FillSchedule(f, zone, lot));
  if (f.min_bids != 0) lot->set_min_valid_bids(f.min_bids);
  for (const auto& text : f.fields) {
    BO_ASSIGN_OR_RETURN(*lot->add_form(), ParseField(text));
  }
  if (!f.policy.empty()) {
    BO_ASSIGN_OR_RETURN(auto policy, ParsePolicy(f.policy));
    lot->set_policy(policy);
  }
  for (const auto& ref : f.custodians) {
    BO_ASSIGN_OR_RETURN(*lot->add_custodians(), ResolveCustodian(ref, registered));
  }
  lot->set_threshold(f.threshold);
  lot->set_auto_start(f.auto_start);
  return req;
}

}  // namespace bidopen::client
