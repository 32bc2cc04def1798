// How a person names a lot on the command line: "T-XXXXXXXXXX/2", or the
// tender id alone with the lot number given apart (bidctl's --lot N, as
// `tender amend` and `bid seal` take it). Pure.
#ifndef BIDOPEN_CORE_OPENING_LOT_REF_H_
#define BIDOPEN_CORE_OPENING_LOT_REF_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bidopen {

struct LotName {
  std::string tender_id;
  int lot = 0;
};

// `lot_flag` is the lot given apart (0: not given). The lot is the one after
// the slash, else `lot_flag`, else 1. INVALID_ARGUMENT quoting the text if the
// tender id is not of its documented form (T- and 10 characters of Crockford
// base32), the lot is not a number from 1 to limits::kMaxLots, or both forms
// name different lots.
absl::StatusOr<LotName> ParseLotName(absl::string_view text, int lot_flag = 0);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_OPENING_LOT_REF_H_
