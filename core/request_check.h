// The first check of every request at the RPC edge (issue 10, item 1): no
// string field holds a control character (NUL included: libpq's text
// parameters would cut the string there, so SQL and the log would disagree on
// an id), and no message carries fields this server does not know (they would
// be copied into events), no text field is longer than limits::kMaxStringField,
// and every non-empty `tender_id` or `fingerprint` has its documented form
// (core/ids.h). Pure: walks the message by reflection.
#ifndef BIDOPEN_CORE_REQUEST_CHECK_H_
#define BIDOPEN_CORE_REQUEST_CHECK_H_

#include <google/protobuf/message.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace bidopen {

// OK, or INVALID_ARGUMENT naming the field by its path from `root` (e.g.
// "lots[0].title"): "contains the control character U+0000 at byte 3" or
// "has a field this server does not know (number 99)", "… is not a tender id".
absl::Status CheckRequest(const google::protobuf::Message& request, absl::string_view root = "");

// The same for one string, named `field`.
absl::Status CheckNoControlCharacters(absl::string_view field, absl::string_view value);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_REQUEST_CHECK_H_
