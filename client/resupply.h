// Putting back a sealed file the opening's start found altered (review 4 R5;
// client/resupply_cmd.cc): `bidctl opening resupply`, and `opening decrypt
// --sealed FILE`, which does it before it releases.
#ifndef BIDOPEN_CLIENT_RESUPPLY_H_
#define BIDOPEN_CLIENT_RESUPPLY_H_

#include <cstdint>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "bidopen/v1/opening.grpc.pb.h"
#include "client/command.h"
#include "core/opening/lot_ref.h"

namespace bidopen::client {

// ResupplyBid with the file at `path` for bid `bid` of `lot`, in 256 KiB
// messages; the server's answer or its refusal.
absl::StatusOr<v1::ResupplyResult> ResupplySealedFile(const Session& s, const LotName& lot,
                                                      uint64_t bid, const std::string& path);

// The caller's (`fingerprint`) revealed bid in `lot` (as the verified log
// folds it: review 7 U3) if its stored file was found altered at the start
// and not yet put back; FAILED_PRECONDITION saying why there is nothing to
// put back otherwise.
absl::StatusOr<const v1::BidEntry*> AlteredBidOf(const v1::Lot& lot,
                                                 const std::string& fingerprint);

// "Put back: the sealed file of your bid #12 (… bytes, SHA-256 …) is the one
// you signed (log #57)".
void PrintResupplied(std::ostream& out, const v1::ResupplyResult& r, uint64_t bid);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_RESUPPLY_H_
