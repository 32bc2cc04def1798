#include "core/opening/time_text.h"

#include <array>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace bidopen {

absl::StatusOr<absl::TimeZone> LoadZone(absl::string_view name, absl::string_view field) {
  absl::TimeZone zone;
  if (name.empty()) return absl::UTCTimeZone();
  if (!absl::LoadTimeZone(std::string(name), &zone))
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": unknown time zone \"", name,
                     "\"; use an IANA name such as Asia/Shanghai or UTC"));
  return zone;
}

std::string TimeText(absl::Time t, absl::TimeZone zone) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*S%Ez", t, zone);
}

std::string TimeText(const google::protobuf::Timestamp& t, absl::TimeZone zone) {
  return TimeText(FromProto(t), zone);
}

absl::StatusOr<absl::Time> ParseTime(absl::string_view text, absl::TimeZone zone) {
  static constexpr std::array<const char*, 5> kFormats = {
      "%Y-%m-%dT%H:%M:%E*S%Ez", "%Y-%m-%dT%H:%M:%E*S", "%Y-%m-%d %H:%M:%E*S", "%Y-%m-%dT%H:%M",
      "%Y-%m-%d %H:%M"};
  std::string input(text);
  if (!input.empty() && (input.back() == 'Z' || input.back() == 'z'))
    input.replace(input.size() - 1, 1, "+00:00");
  for (const char* format : kFormats) {
    absl::Time t;
    std::string err;
    if (absl::ParseTime(format, input, zone, &t, &err)) return t;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("cannot read time \"", text,
                   "\"; write 2026-03-01T09:30:00+08:00 or 2026-03-01 09:30 (in the tender's "
                   "time zone)"));
}

std::string DurationText(absl::Duration d) {
  std::string sign = d < absl::ZeroDuration() ? "-" : "";
  d = absl::AbsDuration(d);
  if (d < absl::Minutes(1)) return absl::StrFormat("%s%.3f s", sign, absl::ToDoubleSeconds(d));
  int64_t secs = absl::ToInt64Seconds(d);
  if (d < absl::Hours(1))
    return secs % 60 ? absl::StrFormat("%s%d min %d s", sign, secs / 60, secs % 60)
                     : absl::StrFormat("%s%d min", sign, secs / 60);
  return (secs / 60) % 60 ? absl::StrFormat("%s%d h %d min", sign, secs / 3600, (secs / 60) % 60)
                          : absl::StrFormat("%s%d h", sign, secs / 3600);
}

absl::TimeZone ZoneOrUtc(absl::string_view name) {
  absl::StatusOr<absl::TimeZone> zone = LoadZone(name);
  return zone.ok() ? *zone : absl::UTCTimeZone();
}

std::string WholeSecondsText(const google::protobuf::Timestamp& t, absl::TimeZone zone) {
  return TimeText(absl::FromUnixSeconds(t.seconds()), zone);
}

absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

google::protobuf::Timestamp ToProto(absl::Time t) {
  google::protobuf::Timestamp out;
  int64_t secs = absl::ToUnixSeconds(t);
  out.set_seconds(secs);
  out.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(secs))));
  return out;
}

absl::Duration FromProto(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

google::protobuf::Duration ToProto(absl::Duration d) {
  google::protobuf::Duration out;
  int64_t secs = absl::IDivDuration(d, absl::Seconds(1), &d);
  out.set_seconds(secs);
  out.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(d)));
  return out;
}

}  // namespace bidopen
