// Decisions on key registrations: the key-wrapping key of a bidder or
// custodian, and a custodian's one-time per-lot keys.
#ifndef BIDOPEN_CORE_OPENING_KEY_RULES_H_
#define BIDOPEN_CORE_OPENING_KEY_RULES_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "bidopen/v1/events.pb.h"
#include "bidopen/v1/identity.pb.h"

namespace bidopen {

inline constexpr int kMaxLotKeysPerCall = 100;

// The event bodies to append for `req` by `actor`, whose entry is `existing`
// (none: never registered): a key_registered if the key is new, a
// lot_keys_registered if per-lot keys are given. INVALID_ARGUMENT naming the
// field for a key that is not 32 bytes, too many keys, or a lot key registered
// before; PERMISSION_DENIED for per-lot keys from anyone but a custodian.
absl::StatusOr<std::vector<v1::Event>> DecideKeyRegistration(
    const v1::RegisterKeyRequest& req, const v1::Party& actor,
    const std::optional<v1::RegisteredKey>& existing);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_OPENING_KEY_RULES_H_
