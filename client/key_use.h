// A custodian's per-lot key opens its shares of every bid sealed to it, so it
// is released for a lot only if no other lot of any tender holds it (review 5
// S2, review 6 T3): otherwise the operator gives a tender that opens sooner
// another tender's key (with an agency that signs it), or copies the key of a
// tender that opens sooner into a later one whose bidders then seal to it, and
// the custodians' releases open the other lot's bids early. A tender's own
// bundle cannot show what other tenders hold, so this is checked on the whole
// verified log.
#ifndef BIDOPEN_CLIENT_KEY_USE_H_
#define BIDOPEN_CLIENT_KEY_USE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "bidopen/v1/events.pb.h"
#include "client/command.h"
#include "core/opening/lot_ref.h"

namespace bidopen::client {

// OK if `lot` is the one lot in `events` (the whole log) whose custodian
// keys hold `key`. DATA_LOSS naming another tender and lot that holds it;
// NOT_FOUND if no tender holds it.
absl::Status KeyAssignedOnlyTo(const std::vector<v1::Event>& events, const LotName& lot,
                               const std::string& key);

// Fetches the whole log, verifies it (every entry, linked to the head this
// user saw last) and checks KeyAssignedOnlyTo on it.
absl::Status CheckKeyAssignedOnlyTo(const Globals& g, const Session& s, const LotName& lot,
                                    const std::string& key);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_KEY_USE_H_
