// Canonical text of one opening-form value, by field type. Each function takes
// the field's display name (`form.price`) for its error, and returns the value
// in canonical form or INVALID_ARGUMENT "<field>: <value> is not <rule>".
#ifndef BIDOPEN_CORE_SEAL_VALUE_SYNTAX_H_
#define BIDOPEN_CORE_SEAL_VALUE_SYNTAX_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/common.pb.h"

namespace bidopen::seal {

inline constexpr size_t kMaxDecimalDigits = 38;
inline constexpr size_t kMaxTextBytes = 1000;

// [-]digits[.digits], at most 38 significant digits; leading zeros and the sign
// of zero dropped, the scale kept ("-007.50" -> "-7.50", "-0.0" -> "0.0").
absl::StatusOr<std::string> CanonicalDecimal(absl::string_view field, absl::string_view value);

// [-]digits within int64; leading zeros dropped.
absl::StatusOr<std::string> CanonicalInt(absl::string_view field, absl::string_view value);

// Valid UTF-8 of at most 1000 bytes, kept as given.
absl::StatusOr<std::string> CanonicalText(absl::string_view field, absl::string_view value);

// YYYY-MM-DD, a real day of the Gregorian calendar (years 0001..9999).
absl::StatusOr<std::string> CanonicalDate(absl::string_view field, absl::string_view value);

// The longest canonical text of a value of `type`: decimal 41 ("-0." and 38
// digits), int 20, text 1000, date 10; 0 for an unknown type. The values
// section pads every field to it, so sizes do not give digits away.
size_t MaxCanonicalSize(v1::FieldType type);

// Dispatches on `type`; decimal, int and date ignore surrounding ASCII spaces.
absl::StatusOr<std::string> CanonicalValue(v1::FieldType type, absl::string_view field,
                                           absl::string_view value);

// Whether `s` is valid UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF); if not, `*bad_offset` is where the first bad sequence starts.
bool IsValidUtf8(absl::string_view s, size_t* bad_offset);

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_VALUE_SYNTAX_H_
