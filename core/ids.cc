#include "core/ids.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/quote.h"

namespace bidopen {
namespace {

constexpr absl::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr size_t kTenderIdChars = 10;
constexpr size_t kFingerprintChars = 64;

}  // namespace

bool IsTenderId(absl::string_view id) {
  if (id.size() != 2 + kTenderIdChars || !absl::StartsWith(id, "T-")) return false;
  for (char c : id.substr(2))
    if (kCrockford.find(c) == absl::string_view::npos) return false;
  return true;
}

bool IsFingerprint(absl::string_view fp) {
  if (fp.size() != kFingerprintChars) return false;
  for (char c : fp)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

absl::Status CheckIdForm(absl::string_view field, absl::string_view name, absl::string_view value) {
  if (value.empty()) return absl::OkStatus();
  if (name == "tender_id" && !IsTenderId(value))
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": ", Quote(value),
        " is not a tender id (\"T-\" and 10 characters of 0-9 and A-Z without I, L, O, U, e.g. "
        "T-7K2M9Q4XRB)"));
  if (name == "fingerprint" && !IsFingerprint(value))
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", Quote(value),
                     " is not a certificate fingerprint (64 lower-case hex digits, the SHA-256 of "
                     "the DER certificate)"));
  return absl::OkStatus();
}

}  // namespace bidopen
