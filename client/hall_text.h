// A lot's live hall for people (docs/opening-hall.md): who signed in, the
// announcement and its confirmation window, confirmations, objections with
// their answers, the close. Labels in Chinese with English beside them.
#ifndef BIDOPEN_CLIENT_HALL_TEXT_H_
#define BIDOPEN_CLIENT_HALL_TEXT_H_

#include <ostream>

#include "absl/time/time.h"
#include "bidopen/v1/opening.pb.h"
#include "bidopen/v1/tender.pb.h"

namespace bidopen::client {

// Nothing before the first sign-in.
void PrintHall(std::ostream& out, const v1::Lot& lot, absl::TimeZone zone);

// What the server said to a hall call (`what`: "Signed in", "Confirmed", …).
void PrintHallResult(std::ostream& out, const v1::HallResult& r, absl::string_view what);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_HALL_TEXT_H_
