// A bid's opening-form values, checked against the lot's opening form before
// sealing: every required field given, no unknown field, each value parsed by
// its type and kept in canonical text (value_syntax.h).
#ifndef BIDOPEN_CORE_SEAL_FORM_VALUES_H_
#define BIDOPEN_CORE_SEAL_FORM_VALUES_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bidopen/v1/seal.pb.h"
#include "bidopen/v1/tender.pb.h"

namespace bidopen::seal {

// Field name -> value as the bidder typed it. An empty value means "not given".
using FormInput = std::map<std::string, std::string>;

// The values in the order of the lot's form (fields not given are left out),
// or INVALID_ARGUMENT starting "form.<name>: " with the value and the rule.
// REQUIRES: `spec` passed ValidateLot (unique field names, known types).
absl::StatusOr<std::vector<v1::FormValue>> CheckFormValues(const v1::LotSpec& spec,
                                                           const FormInput& input);

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_FORM_VALUES_H_
