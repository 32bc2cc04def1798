// Quoting client input in an error message, never more than a bounded part of
// it: a message must not grow with what a client sends.
#ifndef BIDOPEN_CORE_QUOTE_H_
#define BIDOPEN_CORE_QUOTE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace bidopen {

inline constexpr size_t kMaxQuoted = 64;  // bytes of input quoted in a message

// "\"value\"", or its first kMaxQuoted bytes (cut at a UTF-8 boundary) and
// "…\" (N bytes)" when longer.
std::string Quote(absl::string_view value);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_QUOTE_H_
