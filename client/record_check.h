// The opening record (开标记录表; docs/opening-hall.md "Checking the record")
// as bidctl fetches and checks it: `audit fetch` puts each closed lot's signed
// record in the bundle, with the proof that the bundle's head extends its
// closing head (or the reverse); `audit verify`, `opening record` and
// `opening close` check it against the verified log, byte for byte.
#ifndef BIDOPEN_CLIENT_RECORD_CHECK_H_
#define BIDOPEN_CLIENT_RECORD_CHECK_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bidopen/v1/audit.pb.h"
#include "bidopen/v1/events.pb.h"
#include "bidopen/v1/hall.pb.h"
#include "client/command.h"
#include "core/opening/state.h"

namespace bidopen::client {

// Adds to `b` (entries fetched, head set) the signed record of each of its
// lots (`b.lot`, or every lot of the tender) that has one.
absl::Status AddRecords(const Session& s, v1::AuditBundle* b);

// `r` is lot r.lot's record in the verified log of `state` under the
// verified head `head`: its closing head is signed by a log certificate
// issued by `ca_pem`, whose key signed the record; that head and `head` are
// one history (r.closing_consistency); the body is the fold's record byte for
// byte; and every bidder's confirmation on it verifies (certificate issued by
// the CA, valid when it confirmed). DATA_LOSS naming what failed.
absl::StatusOr<v1::OpeningRecordBody> CheckBundleRecord(const TenderState& state,
                                                        const v1::BundleRecord& r,
                                                        const v1::SignedTreeHead& head,
                                                        const std::string& ca_pem);

// Checks every record in `b` of a lot closed in its verified events; returns
// how many. Every lot of the bundle (b.lot, or all) that closed must have its
// record; a record of a lot that closed after the bundle's head is skipped.
absl::StatusOr<int> CheckBundleRecords(const v1::AuditBundle& b,
                                       const std::vector<v1::Event>& events,
                                       const std::string& ca_pem);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_RECORD_CHECK_H_
