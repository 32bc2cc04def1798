// The opening record (开标记录表; docs/opening-hall.md "The record"): a
// deterministic function of the folded lot once its opening closed. The
// server adds the signed tree head at close (closing_head) and signs the
// record's bytes with the log key; `audit verify` recomputes it from the log
// and compares byte for byte.
#ifndef BIDOPEN_CORE_OPENING_RECORD_H_
#define BIDOPEN_CORE_OPENING_RECORD_H_

#include <string>

#include "absl/status/statusor.h"
#include "bidopen/v1/hall.pb.h"
#include "core/opening/state.h"

namespace bidopen {

// Lot `lot`'s record: tender and lot, times, the bids with their sign-ins,
// announced values or failures, confirmations (with signatures) or
// objections, the custodians' releases, the objections with their answers.
// closing_head is left empty. FAILED_PRECONDITION unless the opening of the
// lot closed; INTERNAL if state.bids lacks a revealed bid.
absl::StatusOr<v1::OpeningRecordBody> RecordOf(const TenderState& state, int lot);

// Its deterministic protobuf encoding (core/deterministic.h).
std::string RecordBytes(const v1::OpeningRecordBody& record);

inline constexpr absl::string_view kRecordLabel = "bidopen/v1/record";
// What the log key signs: LP("bidopen/v1/record") || LP(record), where
// `record` is RecordBytes of the body with its closing_head.
std::string RecordSigningInput(absl::string_view record);

// A signed record checked against the log: `record` parses, its closing_head
// covers the close (size > the OpeningClosed seq), and RecordOf(state, lot)
// with that closing_head gives exactly `record`, byte for byte. Returns the
// body; DATA_LOSS naming the first difference otherwise. (The signatures, by
// the log key on the record and on its closing head, need the CA: the caller
// checks them.)
absl::StatusOr<v1::OpeningRecordBody> CheckRecordAgainstLog(const TenderState& state, int lot,
                                                            absl::string_view record);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_OPENING_RECORD_H_
