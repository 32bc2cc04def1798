// Every registered key of a role, fetched page by page (ListKeys is paged).
#ifndef BIDOPEN_CLIENT_KEY_LIST_H_
#define BIDOPEN_CLIENT_KEY_LIST_H_

#include <vector>

#include "absl/status/statusor.h"
#include "bidopen/v1/identity.pb.h"
#include "client/command.h"

namespace bidopen::client {

// role UNSPECIFIED: all roles.
absl::StatusOr<std::vector<v1::RegisteredKey>> ListAllKeys(const Session& s, v1::Role role);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_KEY_LIST_H_
