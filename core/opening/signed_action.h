// Signed actions (docs/protocol.md "Signed actions"): a person's action that
// makes an event — an agency's creation, amendment, cancellation, start,
// answer and close; a bidder's sign-in and objection — carries the request its
// maker signed with its certificate key (v1.SignedAction in Event.signed), so
// that the operator, who appends every event, cannot make one up: a forged
// amendment that moves the opening time earlier would otherwise draw the
// releases early (review 4 R2).
//   - The fold (fold_signed.cc) checks that the event is what the signed
//     request asks, by its actor, and fresh (CheckActionFresh).
//   - The server checks the signature with the caller's TLS certificate before
//     it appends (CheckActionKey); `audit verify` and bidctl's verified-lot
//     gate check it and the CA (CheckActionSignature), as for confirmations.
#ifndef BIDOPEN_CORE_OPENING_SIGNED_ACTION_H_
#define BIDOPEN_CORE_OPENING_SIGNED_ACTION_H_

#include <google/protobuf/message.h>
#include <openssl/evp.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bidopen/fold/state.pb.h"
#include "bidopen/v1/common.pb.h"
#include "bidopen/v1/events.pb.h"

namespace bidopen {

inline constexpr absl::string_view kActionLabel = "bidopen/v1/action";
// The call metadata that carries a signed request: a serialized
// v1.SignedAction without certificate_pem (the server takes the TLS one).
inline constexpr char kActionMetadata[] = "bidopen-action-bin";
// How far a request's signed_at may be from the server's time when it is
// appended, either way: a request is acted on when it is made, not kept back
// and used later (and a maker's clock this far off is refused, saying so).
inline constexpr absl::Duration kActionFreshness = absl::Minutes(10);

// LP("bidopen/v1/action") || LP(method) || i64(signed_at in microseconds
// since the Unix epoch, big-endian two's complement) || LP(request).
std::string ActionMessage(absl::string_view method, absl::Time signed_at,
                          absl::string_view request);

// The RPC (full method name) whose signed request makes `e`, when a person
// made it; "" for the kinds no person signs this way (the server's own
// events, an auto-start, and the kinds signed otherwise: bid statements,
// releases, confirmations).
absl::string_view SignedMethodOf(const v1::Event& e);

// What a maker sends in kActionMetadata for `request` of `method`, signed
// with `key` at `now` (to the microsecond): signed_at and signature.
absl::StatusOr<v1::SignedAction> SignAction(EVP_PKEY* key, absl::string_view method,
                                            const google::protobuf::Message& request,
                                            absl::Time now);

// `sa.certificate_pem` names `signer` (same fingerprint) and its key signed
// ActionMessage(method, sa.signed_at, sa.request). DATA_LOSS saying which
// otherwise. What the server checks, with the certificate of the TLS
// handshake, before it appends.
absl::Status CheckActionKey(absl::string_view method, const v1::Party& signer,
                            const v1::SignedAction& sa);

// CheckActionKey for event `e` (its method and actor), and the certificate
// was issued by `ca_pem` and valid at the event's time: what `audit verify`
// and the verified-lot gate check. DATA_LOSS naming the event otherwise.
absl::Status CheckActionSignature(const v1::Event& e, absl::string_view ca_pem);

// `sa` may make an event at `now` in tender `t` for `signer`: signed within
// kActionFreshness of `now`, and later than the signer's previous signed
// action in the tender (so no request is used twice). INVALID_ARGUMENT
// ("signed_at: ...") naming both times otherwise.
absl::Status CheckActionFresh(const fold::Tender& t, const v1::Party& signer,
                              const v1::SignedAction& sa, absl::Time now);

// Puts `sa` on `draft` (made by `actor` at `now` in tender `t`) once
// CheckActionFresh passes; an empty `sa` (a caller inside the server's own
// tests) leaves the draft unsigned, which the fold refuses in a tender whose
// creation was signed.
absl::Status AttachSignedAction(const fold::Tender& t, const v1::SignedAction& sa, absl::Time now,
                                v1::Event* draft);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_OPENING_SIGNED_ACTION_H_
