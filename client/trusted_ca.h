// The CA bidctl trusts for offline checks (bundles, receipts), found without
// connecting: --ca, else the CA of the selected profile.
#ifndef BIDOPEN_CLIENT_TRUSTED_CA_H_
#define BIDOPEN_CLIENT_TRUSTED_CA_H_

#include <string>

#include "absl/status/statusor.h"
#include "client/command.h"

namespace bidopen::client {

// The path of the CA certificate ("" if neither --ca nor a profile names one).
std::string TrustedCaPath(const Globals& g);

// Its PEM; FAILED_PRECONDITION if no CA is named, NOT_FOUND if unreadable.
absl::StatusOr<std::string> ReadTrustedCa(const Globals& g);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_TRUSTED_CA_H_
