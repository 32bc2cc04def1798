// Times: UTC inside, shown in the tender's time zone outside (design.md §4).
#ifndef BIDOPEN_CORE_OPENING_TIME_TEXT_H_
#define BIDOPEN_CORE_OPENING_TIME_TEXT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace bidopen {

// An IANA time zone ("Asia/Shanghai"); INVALID_ARGUMENT naming `field` if unknown.
absl::StatusOr<absl::TimeZone> LoadZone(absl::string_view name,
                                        absl::string_view field = "time_zone");

// The zone of that name; UTC if the name is not one (for display only: a
// tender's zone was checked when it was created).
absl::TimeZone ZoneOrUtc(absl::string_view name);

// TimeText to whole seconds (log positions carry nanoseconds; people read
// seconds).
std::string WholeSecondsText(const google::protobuf::Timestamp& t, absl::TimeZone zone);

// RFC 3339 with the zone's offset, whole seconds unless there is a fraction:
// "2026-03-01T09:30:00+08:00".
std::string TimeText(absl::Time t, absl::TimeZone zone);
std::string TimeText(const google::protobuf::Timestamp& t, absl::TimeZone zone);

// Parses RFC 3339 ("2026-03-01T09:30:00+08:00", "...Z") or a local time in
// `zone` ("2026-03-01 09:30", "2026-03-01T09:30:00").
absl::StatusOr<absl::Time> ParseTime(absl::string_view text, absl::TimeZone zone);

// A duration for people: "1.204 s", "3 min 5 s", "2 h 0 min".
std::string DurationText(absl::Duration d);

absl::Time FromProto(const google::protobuf::Timestamp& t);
google::protobuf::Timestamp ToProto(absl::Time t);
absl::Duration FromProto(const google::protobuf::Duration& d);
google::protobuf::Duration ToProto(absl::Duration d);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_OPENING_TIME_TEXT_H_
