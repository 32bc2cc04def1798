#include "core/seal/form_values.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/opening/lot_rules.h"
#include "core/seal/value_syntax.h"

namespace bidopen::seal {
namespace {

const v1::FormField* FindField(const v1::LotSpec& spec, absl::string_view name) {
  for (const v1::FormField& f : spec.form())
    if (f.name() == name) return &f;
  return nullptr;
}

std::string FieldNames(const v1::LotSpec& spec) {
  return absl::StrJoin(spec.form(), ", ", [](std::string* out, const v1::FormField& f) {
    absl::StrAppend(out, f.name());
  });
}

std::string Describe(const v1::FormField& f) {
  return absl::StrCat(FieldTypeName(f.type()), f.unit().empty() ? "" : " ", f.unit());
}

absl::Status CheckNoUnknown(const v1::LotSpec& spec, const FormInput& input) {
  for (const auto& [name, value] : input)
    if (FindField(spec, name) == nullptr)
      return absl::InvalidArgumentError(absl::StrCat(
          "form.", name, ": not a field of this lot's opening form (fields: ", FieldNames(spec),
          ")"));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<v1::FormValue>> CheckFormValues(const v1::LotSpec& spec,
                                                           const FormInput& input) {
  if (absl::Status st = CheckNoUnknown(spec, input); !st.ok()) return st;
  std::vector<v1::FormValue> values;
  for (const v1::FormField& f : spec.form()) {
    const std::string field = absl::StrCat("form.", f.name());
    auto it = input.find(f.name());
    if (it == input.end() || it->second.empty()) {
      if (!f.required()) continue;
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": missing; the opening form requires a value (", Describe(f), ")"));
    }
    auto canonical = CanonicalValue(f.type(), field, it->second);
    if (!canonical.ok()) return canonical.status();
    v1::FormValue& v = values.emplace_back();
    v.set_name(f.name());
    v.set_value(*std::move(canonical));
  }
  return values;
}

}  // namespace bidopen::seal
