// Role names as they appear in certificates (OU) and in messages.
#ifndef BIDOPEN_CORE_OPENING_ROLES_H_
#define BIDOPEN_CORE_OPENING_ROLES_H_

#include "absl/strings/string_view.h"
#include "bidopen/v1/common.pb.h"

namespace bidopen {

absl::string_view RoleName(v1::Role role);      // "bidder"; "unknown" otherwise
v1::Role RoleFromName(absl::string_view name);  // UNSPECIFIED if unknown

}  // namespace bidopen

#endif  // BIDOPEN_CORE_OPENING_ROLES_H_
