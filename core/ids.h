// The documented forms of identifiers a client may send (docs/protocol.md
// "Identifiers"), checked at the RPC edge so that nothing else ever meets an
// id it could not have been given.
#ifndef BIDOPEN_CORE_IDS_H_
#define BIDOPEN_CORE_IDS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace bidopen {

// "T-" and 10 characters of Crockford's base32 alphabet in upper case
// (0-9, A-Z without I, L, O, U), as the server issues them.
bool IsTenderId(absl::string_view id);

// 64 lower-case hex digits: the SHA-256 of a DER certificate.
bool IsFingerprint(absl::string_view fp);

// INVALID_ARGUMENT naming `field` and quoting (boundedly) the value when a
// non-empty `value` of a field called `name` ("tender_id", "fingerprint") is
// not of its form; OK for other names and for empty values (the rules say
// where an id is required).
absl::Status CheckIdForm(absl::string_view field, absl::string_view name, absl::string_view value);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_IDS_H_
