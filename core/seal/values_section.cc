#include "core/seal/values_section.h"

#include <set>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "core/seal/form_values.h"
#include "core/seal/format.h"
#include "core/seal/value_syntax.h"
#include "core/status_macros.h"

namespace bidopen::seal {
namespace {

absl::Status Loss(absl::string_view message) {
  return absl::DataLossError(absl::StrCat("sealed bid: values section: ", message));
}

// Takes one LP field off the front of `*in`.
absl::StatusOr<std::string> TakeLp(absl::string_view* in, absl::string_view what) {
  if (in->size() < 4) return Loss(absl::StrCat(what, ": the encoding ends inside its length"));
  const uint32_t n = ReadU32(*in);
  in->remove_prefix(4);
  if (n > in->size())
    return Loss(absl::StrCat(what, ": length ", n, " runs past the encoding (", in->size(),
                             " bytes left)"));
  std::string out(in->substr(0, n));
  in->remove_prefix(n);
  return out;
}

absl::Status CheckPair(const v1::FormValue& v, int i, std::set<std::string>* seen) {
  size_t bad = 0;
  if (v.name().empty()) return Loss(absl::StrCat("value ", i, ": empty name"));
  if (!seen->insert(v.name()).second)
    return Loss(
        absl::StrCat("value ", i, ": the name \"", absl::CHexEscape(v.name()), "\" is used twice"));
  if (!IsValidUtf8(v.name(), &bad) || !IsValidUtf8(v.value(), &bad))
    return Loss(absl::StrCat("value ", i, " (", absl::CHexEscape(v.name()), "): not UTF-8"));
  if (v.value().empty() || v.value().size() > kMaxTextBytes)
    return Loss(absl::StrCat("value ", i, " (", v.name(), "): ", v.value().size(),
                             " bytes; must be 1..", kMaxTextBytes));
  return absl::OkStatus();
}

}  // namespace

uint32_t ValuesSectionSize(const v1::LotSpec& spec) {
  uint32_t size = 4;
  for (const v1::FormField& f : spec.form())
    size += 8 + static_cast<uint32_t>(f.name().size() + MaxCanonicalSize(f.type()));
  return size;
}

std::string ValuesEncoding(const std::vector<v1::FormValue>& values) {
  std::string out;
  for (const v1::FormValue& v : values) {
    AppendLp(&out, v.name());
    AppendLp(&out, v.value());
  }
  return out;
}

std::string ValuesSection(absl::string_view encoding, uint32_t size) {
  std::string out;
  AppendLp(&out, encoding);
  out.resize(size, '\0');
  return out;
}

absl::StatusOr<ParsedValues> ParseValuesSection(absl::string_view section) {
  if (section.size() < 4) return Loss("shorter than its length field");
  const uint32_t length = ReadU32(section);
  if (length > section.size() - 4)
    return Loss(absl::StrCat("encoding length ", length, " exceeds the section's ",
                             section.size() - 4, " bytes"));
  ParsedValues out;
  out.encoding = std::string(section.substr(4, length));
  if (section.substr(4 + length).find_first_not_of('\0') != absl::string_view::npos)
    return Loss("the padding after the encoding is not all zero bytes");
  absl::string_view in = out.encoding;
  std::set<std::string> seen;
  for (int i = 0; !in.empty(); ++i) {
    v1::FormValue& v = out.values.emplace_back();
    BO_ASSIGN_OR_RETURN(*v.mutable_name(), TakeLp(&in, absl::StrCat("value ", i, " name")));
    BO_ASSIGN_OR_RETURN(*v.mutable_value(), TakeLp(&in, absl::StrCat("value ", i, " value")));
    BO_RETURN_IF_ERROR(CheckPair(v, i, &seen));
  }
  return out;
}

absl::Status CheckValuesForLot(const v1::LotSpec& spec, const std::vector<v1::FormValue>& values) {
  FormInput input;
  for (const v1::FormValue& v : values) input[v.name()] = v.value();
  auto checked = CheckFormValues(spec, input);
  if (!checked.ok())
    return absl::InvalidArgumentError(absl::StrCat("values: ", checked.status().message()));
  if (ValuesEncoding(*checked) == ValuesEncoding(values)) return absl::OkStatus();
  for (size_t i = 0; i < values.size(); ++i)
    if (i >= checked->size() || (*checked)[i].name() != values[i].name() ||
        (*checked)[i].value() != values[i].value())
      return absl::InvalidArgumentError(absl::StrCat(
          "values: form.", values[i].name(), ": \"", absl::CHexEscape(values[i].value()),
          "\" is not in canonical form or not in the form's order"));
  return absl::InvalidArgumentError("values: not the canonical values of this lot's form");
}

}  // namespace bidopen::seal
