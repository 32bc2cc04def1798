// The opening-form values inside a v2 sealed bid: their canonical encoding
// (committed in the header with r_v) and the fixed-length section of the
// payload that carries it (docs/sealed-bid-format.md §6).
//   encoding = LP(name_1) || LP(value_1) || ...   (form order, fields not given left out)
//   section  = uint32 BE len(encoding) || encoding || zero bytes to values_size
// values_size depends on the lot's form only: every field counts at its
// type's longest canonical value.
#ifndef BIDOPEN_CORE_SEAL_VALUES_SECTION_H_
#define BIDOPEN_CORE_SEAL_VALUES_SECTION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/seal.pb.h"
#include "bidopen/v1/tender.pb.h"

namespace bidopen::seal {

// 4 + sum over the form's fields of (4 + |name| + 4 + MaxCanonicalSize(type)).
uint32_t ValuesSectionSize(const v1::LotSpec& spec);

std::string ValuesEncoding(const std::vector<v1::FormValue>& values);

// REQUIRES: 4 + encoding.size() <= size.
std::string ValuesSection(absl::string_view encoding, uint32_t size);

// The values and their encoding from a section, strictly: the length fits,
// the pairs fill it exactly, names are unique and non-empty, values are valid
// UTF-8 and no longer than any type allows, the padding is zeros.
// DATA_LOSS "sealed bid: values section: ..." naming what is wrong.
struct ParsedValues {
  std::vector<v1::FormValue> values;
  std::string encoding;
};
absl::StatusOr<ParsedValues> ParseValuesSection(absl::string_view section);

// The lot's form rules applied again at the opening: the values are exactly
// what CheckFormValues makes of them (known fields, in form order, required
// ones given, canonical text). INVALID_ARGUMENT "values: ..." otherwise (the
// bid is invalid, through the bidder's fault).
absl::Status CheckValuesForLot(const v1::LotSpec& spec, const std::vector<v1::FormValue>& values);

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_VALUES_SECTION_H_
