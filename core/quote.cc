#include "core/quote.h"

#include "absl/strings/str_cat.h"

namespace bidopen {

std::string Quote(absl::string_view value) {
  if (value.size() <= kMaxQuoted) return absl::StrCat("\"", value, "\"");
  size_t cut = kMaxQuoted;
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  return absl::StrCat("\"", value.substr(0, cut), "…\" (", value.size(), " bytes)");
}

}  // namespace bidopen
