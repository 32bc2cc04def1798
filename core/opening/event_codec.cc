#include "core/opening/event_codec.h"

#include "absl/strings/str_cat.h"
#include "core/deterministic.h"

namespace bidopen {

std::string EncodeEvent(const v1::Event& event) { return EncodeDeterministic(event); }

absl::StatusOr<v1::Event> DecodeEvent(absl::string_view bytes, uint64_t expected_seq) {
  v1::Event event;
  if (!event.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return absl::DataLossError(absl::StrCat("event ", expected_seq, ": stored bytes do not parse"));
  if (event.seq() != expected_seq)
    return absl::DataLossError(
        absl::StrCat("event ", expected_seq, ": stored bytes carry seq ", event.seq()));
  return event;
}

std::string EventKind(const v1::Event& event) {
  const auto* field =
      v1::Event::descriptor()->FindFieldByNumber(static_cast<int>(event.body_case()));
  return field ? field->name() : "none";
}

}  // namespace bidopen
