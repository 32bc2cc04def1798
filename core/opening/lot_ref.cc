#include "core/opening/lot_ref.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/ids.h"
#include "core/opening/limits.h"
#include "core/quote.h"

namespace bidopen {
namespace {

absl::Status BadLot(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("lot ", Quote(text), ": ", why,
                   "; write TENDER/LOT, e.g. T-0123456789/1, or TENDER --lot N"));
}

bool InRange(int lot) { return lot >= 1 && lot <= limits::kMaxLots; }

}  // namespace

absl::StatusOr<LotName> ParseLotName(absl::string_view text, int lot_flag) {
  LotName out;
  const size_t slash = text.find('/');
  out.tender_id = std::string(text.substr(0, slash));
  if (!IsTenderId(out.tender_id))
    return BadLot(text, absl::StrCat("the tender id ", Quote(out.tender_id),
                                     " is not of the form T- and 10 characters of 0-9 and "
                                     "A-Z without I, L, O, U"));
  if (lot_flag != 0 && !InRange(lot_flag))
    return BadLot(text, absl::StrCat("--lot ", lot_flag, " is not a lot number from 1 to ",
                                     limits::kMaxLots));
  if (slash == absl::string_view::npos) {
    out.lot = lot_flag == 0 ? 1 : lot_flag;
    return out;
  }
  const absl::string_view number = text.substr(slash + 1);
  if (!absl::SimpleAtoi(number, &out.lot) || !InRange(out.lot) ||
      number.find_first_not_of("0123456789") != absl::string_view::npos)
    return BadLot(text,
                  absl::StrCat(Quote(number), " after the slash is not a lot number from 1 to ",
                               limits::kMaxLots));
  if (lot_flag != 0 && lot_flag != out.lot)
    return BadLot(text, absl::StrCat("it names lot ", out.lot, " but --lot says ", lot_flag));
  return out;
}

}  // namespace bidopen
