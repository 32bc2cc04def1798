#include "core/seal/value_syntax.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace bidopen::seal {
namespace {

constexpr absl::string_view kDecimalRule = "a decimal (digits with an optional . and fraction)";
constexpr absl::string_view kIntRule = "an int (digits with an optional leading -)";
constexpr absl::string_view kDateRule = "a date (YYYY-MM-DD, a real calendar day)";

// The value as a user typed it, escaped, and cut if long.
std::string Quoted(absl::string_view value) {
  constexpr size_t kMaxShown = 64;
  if (value.size() <= kMaxShown) return absl::StrCat("\"", absl::CHexEscape(value), "\"");
  return absl::StrCat("\"", absl::CHexEscape(value.substr(0, kMaxShown)), "...\"");
}

absl::Status NotA(absl::string_view field, absl::string_view value, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", Quoted(value), " is not ", rule));
}

bool AllDigits(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

absl::string_view StripLeadingZeros(absl::string_view s) {
  while (!s.empty() && s.front() == '0') s.remove_prefix(1);
  return s;
}

// Continuation bytes after a UTF-8 lead byte (1..3), or 0 if it is no lead byte.
size_t ContinuationCount(unsigned char lead) {
  if ((lead & 0xE0) == 0xC0) return 1;
  if ((lead & 0xF0) == 0xE0) return 2;
  if ((lead & 0xF8) == 0xF0) return 3;
  return 0;
}

// Length of the UTF-8 sequence at s[i], or 0 if it is not a valid one (cut
// short, overlong, a surrogate or past U+10FFFF).
size_t Utf8SequenceLength(absl::string_view s, size_t i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  if (lead < 0x80) return 1;
  const size_t extra = ContinuationCount(lead);
  if (extra == 0 || i + extra >= s.size()) return 0;
  uint32_t cp = lead & (0x3F >> extra);
  for (size_t k = 1; k <= extra; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  static constexpr uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMinForLength[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return extra + 1;
}

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

bool IsDate(absl::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  int year = 0, month = 0, day = 0;
  if (!AllDigits(s.substr(0, 4)) || !AllDigits(s.substr(5, 2)) || !AllDigits(s.substr(8, 2)))
    return false;
  if (!absl::SimpleAtoi(s.substr(0, 4), &year) || !absl::SimpleAtoi(s.substr(5, 2), &month) ||
      !absl::SimpleAtoi(s.substr(8, 2), &day))
    return false;
  if (year < 1 || month < 1 || month > 12) return false;
  return day >= 1 && day <= DaysInMonth(year, month);
}

}  // namespace

absl::StatusOr<std::string> CanonicalDecimal(absl::string_view field, absl::string_view value) {
  absl::string_view s = value;
  const bool negative = absl::ConsumePrefix(&s, "-");
  const size_t dot = s.find('.');
  const absl::string_view whole = s.substr(0, dot);
  const absl::string_view fraction = dot == s.npos ? "" : s.substr(dot + 1);
  if (!AllDigits(whole) || (dot != s.npos && !AllDigits(fraction)))
    return NotA(field, value, kDecimalRule);
  const absl::string_view significant = StripLeadingZeros(whole);
  const size_t digits = significant.size() + fraction.size();
  if (digits > kMaxDecimalDigits)
    return absl::InvalidArgumentError(absl::StrCat(field, ": ", Quoted(value), " has ", digits,
                                                   " significant digits; at most ",
                                                   kMaxDecimalDigits));
  const bool zero = significant.empty() && StripLeadingZeros(fraction).empty();
  std::string out = negative && !zero ? "-" : "";
  absl::StrAppend(&out, significant.empty() ? "0" : significant);
  if (dot != s.npos) absl::StrAppend(&out, ".", fraction);
  return out;
}

absl::StatusOr<std::string> CanonicalInt(absl::string_view field, absl::string_view value) {
  absl::string_view s = value;
  absl::ConsumePrefix(&s, "-");
  if (!AllDigits(s)) return NotA(field, value, kIntRule);
  int64_t v = 0;
  if (!absl::SimpleAtoi(value, &v))
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", Quoted(value),
                     " is outside the int range -9223372036854775808..9223372036854775807"));
  return absl::StrCat(v);
}

absl::StatusOr<std::string> CanonicalText(absl::string_view field, absl::string_view value) {
  size_t bad = 0;
  if (!IsValidUtf8(value, &bad))
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": text is not valid UTF-8 (bad byte 0x",
                     absl::Hex(static_cast<unsigned char>(value[bad]), absl::kZeroPad2),
                     " at offset ", bad, ")"));
  if (value.size() > kMaxTextBytes)
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": text of ", value.size(), " bytes; at most ", kMaxTextBytes));
  return std::string(value);
}

absl::StatusOr<std::string> CanonicalDate(absl::string_view field, absl::string_view value) {
  if (!IsDate(value)) return NotA(field, value, kDateRule);
  return std::string(value);
}

absl::StatusOr<std::string> CanonicalValue(v1::FieldType type, absl::string_view field,
                                           absl::string_view value) {
  switch (type) {
    case v1::FIELD_TYPE_DECIMAL:
      return CanonicalDecimal(field, absl::StripAsciiWhitespace(value));
    case v1::FIELD_TYPE_INT:
      return CanonicalInt(field, absl::StripAsciiWhitespace(value));
    case v1::FIELD_TYPE_TEXT:
      return CanonicalText(field, value);
    case v1::FIELD_TYPE_DATE:
      return CanonicalDate(field, absl::StripAsciiWhitespace(value));
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": the opening form gives it no known type (", static_cast<int>(type), ")"));
  }
}

size_t MaxCanonicalSize(v1::FieldType type) {
  switch (type) {
    case v1::FIELD_TYPE_DECIMAL:
      return kMaxDecimalDigits + 3;
    case v1::FIELD_TYPE_INT:
      return 20;
    case v1::FIELD_TYPE_TEXT:
      return kMaxTextBytes;
    case v1::FIELD_TYPE_DATE:
      return 10;
    default:
      return 0;
  }
}

bool IsValidUtf8(absl::string_view s, size_t* bad_offset) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = Utf8SequenceLength(s, i);
    if (n == 0) {
      *bad_offset = i;
      return false;
    }
    i += n;
  }
  return true;
}

}  // namespace bidopen::seal
