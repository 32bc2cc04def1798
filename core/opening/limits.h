// Limits on what a tender may contain. Each is named in the error a user sees.
#ifndef BIDOPEN_CORE_OPENING_LIMITS_H_
#define BIDOPEN_CORE_OPENING_LIMITS_H_

#include "absl/time/time.h"

namespace bidopen::limits {

inline constexpr size_t kMaxTitle = 300;  // characters (bytes of UTF-8)
inline constexpr size_t kMaxReference = 100;
inline constexpr size_t kMaxReason = 2000;
// Any text field of any request, checked at the edge before the rules above.
inline constexpr size_t kMaxStringField = 8192;
// The largest request message bidopend parses (an upload chunk of
// kMaxChunk bytes and its envelope; a tender within the limits above).
inline constexpr int kMaxRequestBytes = 2 << 20;
// The largest event the log takes: every response holding events stays
// under the client's 4 MiB receive limit with one event in it.
inline constexpr size_t kMaxEventBytes = 1 << 20;
// Bytes of entries, tenders or keys in one list response before it is cut
// and continued on the next page (one item always fits).
inline constexpr size_t kDefaultResponseBytes = 2 << 20;
inline constexpr int kMaxLots = 100;
inline constexpr int kMaxFormFields = 50;
inline constexpr size_t kMaxFieldName = 64;
inline constexpr size_t kMaxUnit = 32;
inline constexpr int kMaxCustodians = 32;
// k of k-of-n: at least 2, so that no single custodian can open a bid alone.
inline constexpr int kMinThreshold = 2;
// Default shortest time between setting a deadline and reaching it.
inline constexpr absl::Duration kDefaultMinLead = absl::Minutes(30);
inline constexpr int kDefaultMinValidBids = 3;
inline constexpr int kMaxMinValidBids = 1000;
inline constexpr absl::Duration kDefaultWindow = absl::Minutes(30);
inline constexpr absl::Duration kMaxWindow = absl::Hours(24);
// Re-supply period (review 6 T1): when the start found a stored file altered,
// its bidder puts it back in the first 1/kResupplyShare of the window, at most
// kMaxResupplyPeriod, and no key is released before that period ends.
inline constexpr int kResupplyShare = 6;
inline constexpr absl::Duration kMaxResupplyPeriod = absl::Minutes(5);
// Under BOTH: room for the bidders' half after a re-supply period and for
// the custodians after the turn's slack (review 8 V4).
inline constexpr absl::Duration kMinBothWindow = absl::Seconds(30);
inline constexpr absl::Duration kMaxLeadTime = absl::Hours(24 * 366 * 2);
// The live hall (docs/opening-hall.md), per lot unless the lot sets its own.
// Sign-in opens this long before the opening time (never before the deadline).
inline constexpr absl::Duration kDefaultSignInLead = absl::Minutes(30);
inline constexpr absl::Duration kMaxSignInLead = absl::Hours(24);
inline constexpr absl::Duration kDefaultConfirmationWindow = absl::Minutes(10);
inline constexpr absl::Duration kMaxConfirmationWindow = absl::Hours(24);
// An objection's text, in characters (Unicode code points): the server-wide
// cap and the default of a lot's objection_limit. At 4 bytes a character it
// stays within kMaxStringField.
inline constexpr int kMaxObjectionChars = 2000;
static_assert(kMaxObjectionChars * 4 <= kMaxStringField);
// An answer's text, in characters.
inline constexpr int kMaxAnswerChars = 2000;
// Objections one bidder may raise in one lot: each waits for an answer, and
// all of them are in the lot's row.
inline constexpr int kMaxObjectionsPerBidder = 10;
// Objections in one lot, all bidders together: with their answers at most
// 50 x (8 KiB + 8 KiB) = 800 KiB of text in the lot's state, its record and
// every status that carries them — well under a gRPC client's 4 MiB default.
inline constexpr int kMaxObjectionsPerLot = 50;

}  // namespace bidopen::limits

#endif  // BIDOPEN_CORE_OPENING_LIMITS_H_
