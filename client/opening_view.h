// A lot's opening as bidctl sees it: GetOpening, with the tree head that came
// with it verified against the trusted CA, so the server's signed time is the
// one clock the opening commands count down to (design.md §5).
#ifndef BIDOPEN_CLIENT_OPENING_VIEW_H_
#define BIDOPEN_CLIENT_OPENING_VIEW_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bidopen/v1/opening.grpc.pb.h"
#include "client/command.h"
#include "core/opening/lot_ref.h"

namespace bidopen::client {

using OpeningStub = std::unique_ptr<v1::OpeningService::Stub>;

struct OpeningView {
  v1::OpeningStatus status;
  absl::Time signed_now;        // the verified head's time
  absl::TimeZone zone;          // the tender's
  absl::Duration clock_offset;  // this machine's clock minus the signed time
  bool time_signed = true;      // false: the answer had no head; signed_now is this clock's
  // Set by WaitForRelease only: status.now(), proved a prefix of the
  // verified (and remembered) log the release gate folded (release_head.h).
  // The one head a release may cite (review 4 R1).
  v1::SignedTreeHead cited;
  const v1::Lot& lot() const { return status.lot_state(); }
};

v1::LotRef ToRef(const LotName& name);

// The OpeningStatus checked: its signed head verifies with `ca_pem` (DATA_LOSS
// otherwise). Without a head: DATA_LOSS if `need_head`, else this machine's
// clock stands in (StartOpening and EndDecryption answers need not carry one).
absl::StatusOr<OpeningView> CheckOpening(v1::OpeningStatus status, const std::string& ca_pem,
                                         absl::Time sent, absl::Time received,
                                         bool need_head = true);

// GetOpening, then CheckOpening. `seconds`: the call's deadline.
absl::StatusOr<OpeningView> FetchOpening(const Session& s, const OpeningStub& stub,
                                         const std::string& ca_pem, const LotName& lot,
                                         int seconds = 30);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_OPENING_VIEW_H_
