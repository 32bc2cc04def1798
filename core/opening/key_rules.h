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

// The event bodies to append for `req` by `actor` (calling with the
// certificate `actor_cert_pem`), whose entry is `existing` (none: never
// registered): a key_registered if the key is new, a lot_keys_registered (with
// the signatures and the certificate) if per-lot keys are given.
// INVALID_ARGUMENT naming the field for a key that is not 32 bytes, not
// canonical or of low order, too many keys, a lot key registered before, or a
// missing or wrong signature (seal/lot_key.h); PERMISSION_DENIED for per-lot
// keys from anyone but a custodian.
absl::StatusOr<std::vector<v1::Event>> DecideKeyRegistration(
    const v1::RegisterKeyRequest& req, const v1::Party& actor, absl::string_view actor_cert_pem,
    const std::optional<v1::RegisteredKey>& existing);

// Whether the custodian signed its n-th per-lot key (keys registered before
// signatures existed have none; bidders refuse them, tender creation skips them).
bool LotKeySigned(const v1::RegisteredKey& entry, uint32_t n);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_OPENING_KEY_RULES_H_
