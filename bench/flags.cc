#include "bench/flags.h"

#include <errno.h>  // program_invocation_short_name

#include <cstdlib>
#include <iostream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace bidopen::bench {

void UsageExit(absl::string_view usage, absl::string_view why) {
  std::cerr << program_invocation_short_name << ": " << why << "\n" << usage;
  std::exit(2);
}

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

void ParseFlags(int argc, char** argv, absl::string_view usage,
                const std::set<std::string>& booleans, const FlagFn& set) {
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") UsageExit(usage, "help");
    if (!absl::ConsumePrefix(&arg, "--"))
      UsageExit(usage, absl::StrCat("unexpected argument ", arg));
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(arg, absl::MaxSplits('=', 1));
    if (arg.find('=') == absl::string_view::npos) {
      if (booleans.count(std::string(kv.first)) > 0) {
        kv.second = "true";
      } else if (i + 1 < argc) {
        kv.second = argv[++i];
      }
    }
    set(kv.first, kv.second);
  }
}

}  // namespace bidopen::bench
