// Validation of one lot as an agency specifies it (pure: no I/O).
#ifndef BIDOPEN_CORE_OPENING_LOT_RULES_H_
#define BIDOPEN_CORE_OPENING_LOT_RULES_H_

#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bidopen/v1/tender.pb.h"

namespace bidopen {

struct LotContext {
  absl::Time now;
  absl::TimeZone zone;                      // for times in messages
  const std::set<std::string>* custodians;  // registered custodian fingerprints
  // Shortest time from now to a deadline that is set (bidopend --min-lead-time).
  absl::Duration min_lead = absl::ZeroDuration();
};

// Returns the spec with defaults filled in, or INVALID_ARGUMENT naming the field
// as `lots[i].field`, the value and the limit.
absl::StatusOr<v1::LotSpec> ValidateLot(const v1::LotSpec& spec, int index, const LotContext& ctx);

// The spec with the defaults of the fields left out filled in (docs/protocol.md).
v1::LotSpec WithDefaults(v1::LotSpec spec);

// The deadline/opening pair: deadline in the future, opening at or after it.
absl::Status ValidateSchedule(absl::Time deadline, absl::Time opening, absl::string_view prefix,
                              const LotContext& ctx);

// Empty if a threshold of k among n custodians is one both bounds allow:
// n = 2k - 1 (docs/protocol.md "Custodians"); else why not, and the
// threshold that fits, for a message.
std::string QuorumShapeProblem(int n, int k);

absl::string_view FieldTypeName(v1::FieldType type);
absl::string_view PolicyName(v1::OpeningPolicy policy);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_OPENING_LOT_RULES_H_
