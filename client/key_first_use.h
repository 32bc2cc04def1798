// A custodian's per-lot key opens its shares of every bid sealed to it, so it
// is released for a lot only if that lot is the first the log assigned it to
// (review 5 S2): otherwise the operator, with an agency that signs a tender
// opening sooner, gives that tender another tender's keys and the custodians'
// releases open the other tender's bids early. A tender's own bundle cannot
// show what other tenders hold, so this is checked on the whole verified log.
#ifndef BIDOPEN_CLIENT_KEY_FIRST_USE_H_
#define BIDOPEN_CLIENT_KEY_FIRST_USE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "bidopen/v1/events.pb.h"
#include "client/command.h"
#include "core/opening/lot_ref.h"

namespace bidopen::client {

// OK if the first TenderCreated in `events` (the whole log, in order) whose
// lots hold `key` among their custodian keys is `lot`'s tender, for `lot`
// alone. DATA_LOSS naming the earlier (or other) tender and lot otherwise;
// NOT_FOUND if no tender holds it.
absl::Status KeyFirstAssignedTo(const std::vector<v1::Event>& events, const LotName& lot,
                                const std::string& key);

// Fetches the whole log, verifies it (every entry, linked to the head this
// user saw last) and checks KeyFirstAssignedTo on it.
absl::Status CheckKeyFirstAssignedTo(const Globals& g, const Session& s, const LotName& lot,
                                     const std::string& key);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_KEY_FIRST_USE_H_
