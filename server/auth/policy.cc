#include "server/auth/policy.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/opening/roles.h"
#include "server/auth/identity.h"

namespace bidopen::auth {
namespace {

using R = v1::Role;
constexpr R kAll[] = {v1::ROLE_BIDDER, v1::ROLE_AGENCY, v1::ROLE_CUSTODIAN, v1::ROLE_SUPERVISOR,
                      v1::ROLE_AUDITOR};

struct Rule {
  absl::string_view what;
  std::vector<R> roles;
};

const Rule& RuleOf(Action action) {
  static const Rule kCreate{"create a tender", {v1::ROLE_AGENCY}};
  static const Rule kAmend{"amend a lot", {v1::ROLE_AGENCY}};
  static const Rule kCancel{"cancel a tender", {v1::ROLE_AGENCY}};
  static const Rule kRead{"read tenders", {std::begin(kAll), std::end(kAll)}};
  static const Rule kWho{"ask who you are", {std::begin(kAll), std::end(kAll)}};
  static const Rule kRegister{"register a key-wrapping key", {v1::ROLE_BIDDER, v1::ROLE_CUSTODIAN}};
  static const Rule kList{"list registered keys", {std::begin(kAll), std::end(kAll)}};
  static const Rule kLog{"read the audit log", {std::begin(kAll), std::end(kAll)}};
  static const Rule kBid{"submit or withdraw a bid", {v1::ROLE_BIDDER}};
  static const Rule kOwnBids{"list your own bids", {v1::ROLE_BIDDER}};
  switch (action) {
    case Action::kCreateTender:
      return kCreate;
    case Action::kAmendLot:
      return kAmend;
    case Action::kCancelTender:
      return kCancel;
    case Action::kReadTenders:
      return kRead;
    case Action::kWhoAmI:
      return kWho;
    case Action::kRegisterKey:
      return kRegister;
    case Action::kListKeys:
      return kList;
    case Action::kReadLog:
      return kLog;
    case Action::kSubmitBid:
      return kBid;
    case Action::kListOwnBids:
      return kOwnBids;
  }
  static const Rule kNone{"do this (the server has no rule for it)", {}};
  return kNone;  // fails closed: an action without a rule allows no role
}

}  // namespace

bool Allowed(Action action, v1::Role role) {
  for (R r : RuleOf(action).roles)
    if (r == role) return true;
  return false;
}

absl::StatusOr<v1::Party> Authorize(const grpc::ServerContext& ctx, Action action) {
  auto auth = ctx.auth_context();
  if (!auth) return absl::UnauthenticatedError("no TLS peer");
  auto party = PartyFromAuthContext(*auth);
  if (!party.ok()) return party.status();
  const Rule& rule = RuleOf(action);
  if (Allowed(action, party->role())) return party;
  std::vector<absl::string_view> names;
  for (R r : rule.roles) names.push_back(RoleName(r));
  return absl::PermissionDeniedError(
      absl::StrCat("role ", absl::StrJoin(names, " or "), " is needed to ", rule.what, "; you are ",
                   RoleName(party->role()), " (", party->organization(), ")"));
}

}  // namespace bidopen::auth
