#include "core/log/checkpoint.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace bidopen::log {
namespace {

constexpr char kTimeFormat[] = "%Y-%m-%dT%H:%M:%E9SZ";

absl::Status Bad(int line, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("checkpoint line ", line, ": ", why));
}

}  // namespace

std::string FormatCheckpoint(const Checkpoint& c) {
  std::string root(reinterpret_cast<const char*>(c.root.data()), c.root.size());
  return absl::StrCat(c.origin, "\n", c.size, "\n", absl::Base64Escape(root), "\ntime ",
                      absl::FormatTime(kTimeFormat, c.time, absl::UTCTimeZone()), "\n");
}

absl::StatusOr<Checkpoint> ParseCheckpoint(absl::string_view text) {
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  if (lines.size() != 5 || !lines[4].empty())
    return absl::InvalidArgumentError("checkpoint: expected 4 lines, each ending in a newline");
  Checkpoint c;
  c.origin = std::string(lines[0]);
  if (c.origin.empty()) return Bad(1, "empty origin");
  if (!absl::SimpleAtoi(lines[1], &c.size)) return Bad(2, "tree size is not a number");
  std::string raw;
  if (!absl::Base64Unescape(lines[2], &raw)) return Bad(3, "root is not base64");
  auto root = HashFromBytes(raw);
  if (!root.ok()) return Bad(3, root.status().message());
  c.root = *root;
  if (!absl::ConsumePrefix(&lines[3], "time ")) return Bad(4, "expected \"time ...\"");
  std::string err;
  if (!absl::ParseTime(kTimeFormat, lines[3], &c.time, &err)) return Bad(4, err);
  return c;
}

}  // namespace bidopen::log
