#include "core/opening/roles.h"

namespace bidopen {

absl::string_view RoleName(v1::Role role) {
  switch (role) {
    case v1::ROLE_BIDDER:
      return "bidder";
    case v1::ROLE_AGENCY:
      return "agency";
    case v1::ROLE_CUSTODIAN:
      return "custodian";
    case v1::ROLE_SUPERVISOR:
      return "supervisor";
    case v1::ROLE_AUDITOR:
      return "auditor";
    case v1::ROLE_OPERATOR:
      return "operator";
    default:
      return "unknown";
  }
}

v1::Role RoleFromName(absl::string_view name) {
  for (v1::Role r : {v1::ROLE_BIDDER, v1::ROLE_AGENCY, v1::ROLE_CUSTODIAN, v1::ROLE_SUPERVISOR,
                     v1::ROLE_AUDITOR, v1::ROLE_OPERATOR})
    if (RoleName(r) == name) return r;
  return v1::ROLE_UNSPECIFIED;
}

}  // namespace bidopen
