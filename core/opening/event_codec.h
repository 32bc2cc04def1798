// The bytes of an event: serialized once, deterministically, then stored,
// hashed by the audit log and served as they are.
#ifndef BIDOPEN_CORE_OPENING_EVENT_CODEC_H_
#define BIDOPEN_CORE_OPENING_EVENT_CODEC_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/events.pb.h"

namespace bidopen {

std::string EncodeEvent(const v1::Event& event);

// DATA_LOSS if the bytes don't parse or carry another seq than `expected_seq`.
absl::StatusOr<v1::Event> DecodeEvent(absl::string_view bytes, uint64_t expected_seq);

// The name of the event's body ("tender_created"), stored as its kind.
std::string EventKind(const v1::Event& event);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_OPENING_EVENT_CODEC_H_
