#include "core/opening/lot_rules.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "core/opening/limits.h"
#include "core/opening/time_text.h"
#include "core/quote.h"
#include "core/status_macros.h"

namespace bidopen {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", message));
}

bool IsFieldName(absl::string_view name) {
  if (name.empty() || name.size() > limits::kMaxFieldName) return false;
  if (name[0] < 'a' || name[0] > 'z') return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

absl::Status ValidateForm(const v1::LotSpec& spec, const std::string& p) {
  if (spec.form_size() == 0)
    return Invalid(p + "form",
                   "at least one opening-form field is required "
                   "(e.g. price:decimal)");
  if (spec.form_size() > limits::kMaxFormFields)
    return Invalid(p + "form",
                   absl::StrCat(spec.form_size(), " fields; at most ", limits::kMaxFormFields));
  std::set<std::string> seen;
  for (int i = 0; i < spec.form_size(); ++i) {
    const auto& f = spec.form(i);
    std::string at = absl::StrCat(p, "form[", i, "]");
    if (!IsFieldName(f.name()))
      return Invalid(at + ".name", absl::StrCat(Quote(f.name()),
                                                " is not a field name; use "
                                                "[a-z][a-z0-9_]*, at most ",
                                                limits::kMaxFieldName, " characters"));
    if (!seen.insert(f.name()).second)
      return Invalid(at + ".name", absl::StrCat("duplicate field ", Quote(f.name())));
    if (FieldTypeName(f.type()).empty())
      return Invalid(at + ".type",
                     absl::StrCat("unknown type ", static_cast<int>(f.type()), " for field \"",
                                  f.name(), "\"; use decimal, int, text or date"));
    if (f.unit().size() > limits::kMaxUnit)
      return Invalid(at + ".unit",
                     absl::StrCat(f.unit().size(), " characters; at most ", limits::kMaxUnit));
  }
  return absl::OkStatus();
}

absl::Status ValidateCustodians(const v1::LotSpec& spec, const std::string& p,
                                const LotContext& ctx) {
  const int n = spec.custodians_size();
  if (spec.policy() == v1::OPENING_POLICY_BIDDER) {
    if (n > 0 || spec.threshold() != 0)
      return Invalid(p + "custodians",
                     "policy BIDDER opens with the bidder's key only; give no "
                     "custodians and no threshold");
    return absl::OkStatus();
  }
  std::string policy(PolicyName(spec.policy()));
  if (n < limits::kMinThreshold)
    return Invalid(p + "custodians", absl::StrCat("policy ", policy, " needs at least ",
                                                  limits::kMinThreshold, " custodians (", n,
                                                  " given); register custodians or "
                                                  "choose policy BIDDER"));
  if (n > limits::kMaxCustodians)
    return Invalid(p + "custodians",
                   absl::StrCat(n, " custodians; at most ", limits::kMaxCustodians));
  std::set<std::string> seen;
  for (int i = 0; i < n; ++i) {
    const std::string& fp = spec.custodians(i);
    std::string at = absl::StrCat(p, "custodians[", i, "]");
    if (!seen.insert(fp).second) return Invalid(at, absl::StrCat("duplicate custodian ", fp));
    if (ctx.custodians == nullptr || !ctx.custodians->contains(fp))
      return Invalid(at, absl::StrCat("unknown custodian \"", fp,
                                      "\": no custodian with this certificate "
                                      "fingerprint has registered a key"));
  }
  if (spec.threshold() < limits::kMinThreshold || spec.threshold() > n)
    return Invalid(p + "threshold",
                   absl::StrCat(spec.threshold(), " is outside ", limits::kMinThreshold, "..", n,
                                " (the number of custodians)",
                                spec.threshold() < limits::kMinThreshold
                                    ? "; a threshold of 1 would let one custodian read every "
                                      "bid of the lot at any time"
                                    : ""));
  const std::string shape = QuorumShapeProblem(n, spec.threshold());
  if (!shape.empty()) return Invalid(p + "threshold", shape);
  return absl::OkStatus();
}

absl::Status ValidateWindow(const v1::LotSpec& spec, const std::string& p) {
  if (!spec.has_decryption_window()) return absl::OkStatus();
  absl::Duration w = FromProto(spec.decryption_window());
  if (w <= absl::ZeroDuration() || w > limits::kMaxWindow)
    return Invalid(p + "decryption_window", absl::StrCat(DurationText(w), " is outside (0, 24 h]"));
  // Under BOTH the bidders release in the first half and the custodians from
  // the replicas' clock slack after it (review 8 V4); a re-supply period takes
  // the first sixth plus the slack: a shorter window leaves one side no time.
  if (spec.policy() == v1::OPENING_POLICY_BOTH && w < limits::kMinBothWindow)
    return Invalid(p + "decryption_window",
                   absl::StrCat(DurationText(w), " under policy BOTH; at least ",
                                DurationText(limits::kMinBothWindow),
                                ": the bidders release in its first half, the custodians from 5 s "
                                "after it"));
  return absl::OkStatus();
}

absl::Status ValidateMinBids(const v1::LotSpec& spec, const std::string& p) {
  if (!spec.has_min_valid_bids()) return absl::OkStatus();
  if (spec.min_valid_bids() < 1 || spec.min_valid_bids() > limits::kMaxMinValidBids)
    return Invalid(p + "min_valid_bids", absl::StrCat(spec.min_valid_bids(), " is outside 1..",
                                                      limits::kMaxMinValidBids));
  return absl::OkStatus();
}

// A duration in [0, max] (`zero_ok`) or (0, max].
absl::Status ValidateDuration(bool has, const google::protobuf::Duration& d, bool zero_ok,
                              absl::Duration max, const std::string& field) {
  if (!has) return absl::OkStatus();
  const absl::Duration w = FromProto(d);
  if (w < absl::ZeroDuration() || (w == absl::ZeroDuration() && !zero_ok) || w > max)
    return Invalid(field, absl::StrCat(DurationText(w), " is outside ", zero_ok ? "[0" : "(0", ", ",
                                       DurationText(max), "]"));
  return absl::OkStatus();
}

// The live hall's settings (docs/opening-hall.md).
absl::Status ValidateHall(const v1::LotSpec& spec, const std::string& p) {
  BO_RETURN_IF_ERROR(ValidateDuration(spec.has_sign_in_lead(), spec.sign_in_lead(), true,
                                      limits::kMaxSignInLead, p + "sign_in_lead"));
  BO_RETURN_IF_ERROR(ValidateDuration(spec.has_confirmation_window(), spec.confirmation_window(),
                                      false, limits::kMaxConfirmationWindow,
                                      p + "confirmation_window"));
  if (spec.has_objection_limit() &&
      (spec.objection_limit() < 1 || spec.objection_limit() > limits::kMaxObjectionChars))
    return Invalid(p + "objection_limit",
                   absl::StrCat(spec.objection_limit(), " characters is outside 1..",
                                limits::kMaxObjectionChars, " (this server's cap)"));
  return absl::OkStatus();
}

}  // namespace

v1::LotSpec WithDefaults(v1::LotSpec spec) {
  if (!spec.has_decryption_window())
    *spec.mutable_decryption_window() = ToProto(limits::kDefaultWindow);
  if (!spec.has_min_valid_bids()) spec.set_min_valid_bids(limits::kDefaultMinValidBids);
  if (!spec.has_sign_in_lead()) *spec.mutable_sign_in_lead() = ToProto(limits::kDefaultSignInLead);
  if (!spec.has_confirmation_window())
    *spec.mutable_confirmation_window() = ToProto(limits::kDefaultConfirmationWindow);
  if (!spec.has_objection_limit()) spec.set_objection_limit(limits::kMaxObjectionChars);
  if (spec.policy() == v1::OPENING_POLICY_UNSPECIFIED) spec.set_policy(v1::OPENING_POLICY_ANY);
  return spec;
}

absl::string_view FieldTypeName(v1::FieldType type) {
  switch (type) {
    case v1::FIELD_TYPE_DECIMAL:
      return "decimal";
    case v1::FIELD_TYPE_INT:
      return "int";
    case v1::FIELD_TYPE_TEXT:
      return "text";
    case v1::FIELD_TYPE_DATE:
      return "date";
    default:
      return "";
  }
}

absl::string_view PolicyName(v1::OpeningPolicy policy) {
  switch (policy) {
    case v1::OPENING_POLICY_BIDDER:
      return "BIDDER";
    case v1::OPENING_POLICY_QUORUM:
      return "QUORUM";
    case v1::OPENING_POLICY_ANY:
      return "ANY";
    case v1::OPENING_POLICY_BOTH:
      return "BOTH";
    default:
      return "";
  }
}

absl::Status ValidateSchedule(absl::Time deadline, absl::Time opening, absl::string_view prefix,
                              const LotContext& ctx) {
  std::string d = TimeText(deadline, ctx.zone);
  if (deadline <= ctx.now)
    return Invalid(
        absl::StrCat(prefix, "submission_deadline"),
        absl::StrCat(d, " is in the past (server time ", TimeText(ctx.now, ctx.zone), ")"));
  if (deadline - ctx.now < ctx.min_lead)
    return Invalid(absl::StrCat(prefix, "submission_deadline"),
                   absl::StrCat(d, " is only ", DurationText(deadline - ctx.now),
                                " ahead; this server needs at least ", DurationText(ctx.min_lead),
                                " between setting a deadline and reaching it (--min-lead-time)"));
  if (deadline - ctx.now > limits::kMaxLeadTime)
    return Invalid(absl::StrCat(prefix, "submission_deadline"),
                   absl::StrCat(d, " is more than 2 years ahead"));
  if (opening < deadline)
    return Invalid(absl::StrCat(prefix, "opening_time"),
                   absl::StrCat(TimeText(opening, ctx.zone), " is before the submission deadline ",
                                d, "; the opening must be at or after the deadline"));
  if (opening - deadline > limits::kMaxLeadTime)
    return Invalid(
        absl::StrCat(prefix, "opening_time"),
        absl::StrCat(TimeText(opening, ctx.zone), " is more than 2 years after the deadline"));
  return absl::OkStatus();
}

absl::StatusOr<v1::LotSpec> ValidateLot(const v1::LotSpec& in, int index, const LotContext& ctx) {
  std::string p = absl::StrCat("lots[", index, "].");
  if (in.title().empty()) return Invalid(p + "title", "required");
  if (in.title().size() > limits::kMaxTitle)
    return Invalid(p + "title",
                   absl::StrCat(in.title().size(), " characters; at most ", limits::kMaxTitle));
  if (!in.has_submission_deadline()) return Invalid(p + "submission_deadline", "required");
  if (!in.has_opening_time()) return Invalid(p + "opening_time", "required");
  BO_RETURN_IF_ERROR(
      ValidateSchedule(FromProto(in.submission_deadline()), FromProto(in.opening_time()), p, ctx));
  BO_RETURN_IF_ERROR(ValidateWindow(in, p));
  BO_RETURN_IF_ERROR(ValidateMinBids(in, p));
  BO_RETURN_IF_ERROR(ValidateHall(in, p));
  BO_RETURN_IF_ERROR(ValidateForm(in, p));
  if (!v1::OpeningPolicy_IsValid(in.policy()))
    return Invalid(p + "policy", absl::StrCat("unknown policy ", in.policy(),
                                              "; use BIDDER, QUORUM, ANY or BOTH"));
  v1::LotSpec spec = WithDefaults(in);
  BO_RETURN_IF_ERROR(ValidateCustodians(spec, p, ctx));
  return spec;
}

// Review 3 F7: n - k + 1 custodians block the lot; fewer than k of them,
// with the operator, would read every value (the others' keys are in) and
// then choose to release or to block: so n >= 2k - 1. Review 5 S6: with
// n >= 2k, two groups of k with no custodian in common each open every bid:
// the operator shows each group its own log (one where a colluding bidder
// released, one where it failed) and publishes the one it prefers; with
// n <= 2k - 1 any two groups share a custodian, whose bidctl remembers the
// head it verified and refuses a log that does not extend it.
std::string QuorumShapeProblem(int n, int k) {
  if (n == 2 * k - 1) return "";
  const std::string what =
      2 * k - 1 > n
          ? absl::StrCat(n - k + 1, n - k + 1 == 1 ? " custodian" : " custodians",
                         " (fewer than the threshold) block the lot")
          : absl::StrCat("two groups of ", k,
                         " with no custodian in common each open every bid (each could be shown "
                         "its own log: a split view)");
  return absl::StrCat(k, " of ", n, " custodians lets ", what, "; ",
                      n % 2 == 1
                          ? absl::StrCat("with ", n, " custodians the threshold is ", (n + 1) / 2)
                          : absl::StrCat("with ", n,
                                         " custodians no threshold fits: name an odd "
                                         "number of custodians (2 of 3, 3 of 5, ...)"),
                      " (n = 2k - 1)");
}

}  // namespace bidopen
