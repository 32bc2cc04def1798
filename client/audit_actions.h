// What `bidctl audit verify` and the verified-lot gate check of signed
// actions (core/opening/signed_action.h): each person's action in the log —
// the agency's creation, amendments, cancellations, starts, answers and
// closes; bidders' sign-ins and objections — is signed by its actor's
// certificate, issued by the trusted CA and valid when it was made. The fold
// checks the rest (the event is what the signed request asks, fresh, used
// once; a tender whose creation is signed has every such action signed).
#ifndef BIDOPEN_CLIENT_AUDIT_ACTIONS_H_
#define BIDOPEN_CLIENT_AUDIT_ACTIONS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "bidopen/v1/events.pb.h"

namespace bidopen::client {

// DATA_LOSS naming the event whose signed request does not verify; counts
// the verified ones in *checked.
absl::Status CheckSignedActions(const std::vector<v1::Event>& events, const std::string& ca_pem,
                                int* checked);

// FAILED_PRECONDITION unless tender `tender_id`'s creation in `events` (its
// verified, folded log) is signed by its agency: only then is every change of
// its schedule signed too, so only then may a release follow the schedule the
// log gives (review 4 R2).
absl::Status CheckSignedTender(const std::vector<v1::Event>& events, const std::string& tender_id);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_AUDIT_ACTIONS_H_
