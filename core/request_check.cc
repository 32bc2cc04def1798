#include "core/request_check.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/unknown_field_set.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/ids.h"
#include "core/opening/limits.h"
#include "core/status_macros.h"

namespace bidopen {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

std::string Path(absl::string_view root, absl::string_view name, int index) {
  std::string out = root.empty() ? std::string(name) : absl::StrCat(root, ".", name);
  if (index >= 0) absl::StrAppend(&out, "[", index, "]");
  return out;
}

// google.protobuf.Timestamp and Duration as their definitions require (a
// value out of range is stored, then breaks JSON output for everyone).
absl::Status CheckWellKnown(const Message& m, const std::string& path) {
  const std::string& type = m.GetDescriptor()->full_name();
  if (type != "google.protobuf.Timestamp" && type != "google.protobuf.Duration")
    return absl::OkStatus();
  const Reflection* r = m.GetReflection();
  const int64_t seconds = r->GetInt64(m, m.GetDescriptor()->FindFieldByName("seconds"));
  const int32_t nanos = r->GetInt32(m, m.GetDescriptor()->FindFieldByName("nanos"));
  bool ok;
  if (type == "google.protobuf.Timestamp") {
    // 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
    ok = seconds >= -62135596800 && seconds <= 253402300799 && nanos >= 0 && nanos <= 999999999;
  } else {
    ok = seconds >= -315576000000 && seconds <= 315576000000 && nanos >= -999999999 &&
         nanos <= 999999999 && !(seconds > 0 && nanos < 0) && !(seconds < 0 && nanos > 0);
  }
  if (ok) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      path, ": seconds ", seconds, ", nanos ", nanos, " is not a valid ", m.GetDescriptor()->name(),
      type == "google.protobuf.Timestamp"
          ? " (nanos 0 to 999999999, a time in the years 1 to 9999)"
          : " (nanos -999999999 to 999999999 with the sign of seconds, at most 10,000 years)"));
}

absl::Status CheckField(const Message& m, const FieldDescriptor* f, int index,
                        const std::string& path) {
  const Reflection* r = m.GetReflection();
  std::string scratch;
  if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    const Message& sub = index < 0 ? r->GetMessage(m, f) : r->GetRepeatedMessage(m, f, index);
    BO_RETURN_IF_ERROR(CheckWellKnown(sub, path));
    return CheckRequest(sub, path);
  }
  if (f->type() != FieldDescriptor::TYPE_STRING) return absl::OkStatus();
  const std::string& s = index < 0 ? r->GetStringReference(m, f, &scratch)
                                   : r->GetRepeatedStringReference(m, f, index, &scratch);
  if (s.size() > limits::kMaxStringField)
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", s.size(),
                                                   " bytes; no text field of a request may exceed ",
                                                   limits::kMaxStringField, " bytes"));
  BO_RETURN_IF_ERROR(CheckNoControlCharacters(path, s));
  return CheckIdForm(path, f->name(), s);
}

}  // namespace

// The code point of a C1 control (U+0080..U+009F), a line or paragraph
// separator (U+2028, U+2029), a bidirectional embedding or override
// (U+202A..U+202E) or isolate (U+2066..U+2069) starting at value[i] in UTF-8;
// 0 if none. They reorder or hide text where it is shown (a record, a
// terminal), so no request text may hold them.
static uint32_t HiddenControlAt(absl::string_view v, size_t i) {
  const auto b = [&](size_t k) { return k < v.size() ? static_cast<unsigned char>(v[k]) : 0u; };
  if (b(i) == 0xC2 && b(i + 1) >= 0x80 && b(i + 1) <= 0x9F) return b(i + 1);
  if (b(i) != 0xE2) return 0;
  const uint32_t cp = 0x2000 + ((b(i + 1) & 0x3F) << 6) + (b(i + 2) & 0x3F);
  if (b(i + 1) == 0x80 && b(i + 2) >= 0xA8 && b(i + 2) <= 0xAE) return cp;
  if (b(i + 1) == 0x81 && b(i + 2) >= 0xA6 && b(i + 2) <= 0xA9) return cp;
  return 0;
}

absl::Status CheckNoControlCharacters(absl::string_view field, absl::string_view value) {
  for (size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    uint32_t cp = c < 0x20 || c == 0x7f ? c : HiddenControlAt(value, i);
    if (cp != 0 || c == 0)
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: contains the control character U+%04X at byte %d; identifiers and text may hold "
          "no control characters (not even a newline, nor a bidirectional override)",
          field, cp, i));
  }
  return absl::OkStatus();
}

absl::Status CheckRequest(const Message& m, absl::string_view root) {
  const Reflection* r = m.GetReflection();
  const google::protobuf::UnknownFieldSet& unknown = r->GetUnknownFields(m);
  if (!unknown.empty())
    return absl::InvalidArgumentError(
        absl::StrCat(root.empty() ? m.GetDescriptor()->name() : std::string(root),
                     ": has a field this server does not know (number ", unknown.field(0).number(),
                     "); a newer client talking to an older server? Nothing was stored"));
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    if (!f->is_repeated()) {
      BO_RETURN_IF_ERROR(CheckField(m, f, -1, Path(root, f->name(), -1)));
      continue;
    }
    for (int i = 0; i < r->FieldSize(m, f); ++i)
      BO_RETURN_IF_ERROR(CheckField(m, f, i, Path(root, f->name(), i)));
  }
  return absl::OkStatus();
}

}  // namespace bidopen
