#include "core/opening/watch_rules.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/opening/roles.h"

namespace bidopen {
namespace {

absl::Status Denied(const v1::Party& caller, const fold::Tender& t, const fold::Lot& lot,
                    absl::string_view why) {
  return absl::PermissionDeniedError(absl::StrCat(
      RoleName(caller.role()), " ", caller.organization(), " may not watch lot ", lot.number(),
      " of tender ", t.id(), ": ", why,
      " (a lot is watched by supervisors, auditors, the tender's agency, the lot's custodians "
      "and the bidders that bid in it)"));
}

}  // namespace

absl::Status CheckWatcher(const v1::Party& caller, const fold::Tender& t, const fold::Lot& lot,
                          bool caller_bid_in_lot) {
  switch (caller.role()) {
    case v1::ROLE_SUPERVISOR:
    case v1::ROLE_AUDITOR:
      return absl::OkStatus();
    case v1::ROLE_AGENCY:
      if (caller.fingerprint() == t.agency().fingerprint()) return absl::OkStatus();
      return Denied(caller, t, lot, "the tender is another agency's");
    case v1::ROLE_CUSTODIAN: {
      const auto& c = lot.spec().custodians();
      if (std::find(c.begin(), c.end(), caller.fingerprint()) != c.end()) return absl::OkStatus();
      return Denied(caller, t, lot, "you are not one of its custodians");
    }
    case v1::ROLE_BIDDER:
      if (caller_bid_in_lot) return absl::OkStatus();
      return Denied(caller, t, lot, "you have no bid in it");
    default:
      return Denied(caller, t, lot, "your role does not take part in openings");
  }
}

}  // namespace bidopen
