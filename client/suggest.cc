#include "client/suggest.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace bidopen::client {
namespace {

// The deepest subcommand the parse reached, and its path ("bidctl bid").
const CLI::App* Deepest(const CLI::App& app, std::string* path) {
  *path = "bidctl";
  const CLI::App* cur = &app;
  for (bool descended = true; descended;) {
    descended = false;
    for (const CLI::App* sub : cur->get_subcommands()) {
      absl::StrAppend(path, " ", sub->get_name());
      cur = sub;
      descended = true;
      break;
    }
  }
  return cur;
}

std::vector<std::string> CommandNames(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(sub->get_name());
  return names;
}

}  // namespace

int EditDistance(const std::string& a, const std::string& b) {
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i)
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[n][m];
}

std::optional<std::string> Nearest(const std::string& word, const std::vector<std::string>& all) {
  std::optional<std::string> best;
  int best_distance = 0;
  for (const std::string& name : all) {
    const int d = EditDistance(word, name);
    const bool prefix = name.rfind(word, 0) == 0 && !word.empty();
    const int score = prefix ? 0 : d;
    if (!best || score < best_distance) {
      best = name;
      best_distance = score;
    }
  }
  const int limit = std::max<int>(2, static_cast<int>(word.size()) / 3);
  if (!best || best_distance > limit) return std::nullopt;
  return best;
}

std::optional<std::string> UnknownCommandMessage(const CLI::App& app) {
  std::string path;
  const CLI::App* cur = Deepest(app, &path);
  const std::vector<std::string> names = CommandNames(*cur);
  if (names.empty()) return std::nullopt;
  std::string word;
  // With fallthrough, a word a subcommand did not take is left with the root.
  for (const std::string& arg : app.remaining(true))
    if (!arg.empty() && arg[0] != '-') {
      word = arg;
      break;
    }
  if (word.empty()) {
    if (cur->get_require_subcommand_min() == 0) return std::nullopt;
    return absl::StrCat("bidctl: `", path, "` needs a command: ", absl::StrJoin(names, ", "),
                        "\n  see `", path, " --help`");
  }
  std::string msg = absl::StrCat("bidctl: \"", word, "\" is not a command of `", path, "`");
  if (auto near = Nearest(word, names))
    absl::StrAppend(&msg, "; did you mean `", path, " ", *near, "`?");
  absl::StrAppend(&msg, "\n  commands: ", absl::StrJoin(names, ", "), "\n  see `", path,
                  " --help`");
  return msg;
}

}  // namespace bidopen::client
