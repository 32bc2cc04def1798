// Command-line flags of the benchmark programs: `--name=value`, `--name value`,
// or a bare `--name` for a boolean flag (value "true").
#ifndef BIDOPEN_BENCH_FLAGS_H_
#define BIDOPEN_BENCH_FLAGS_H_

#include <functional>
#include <set>
#include <string>

#include "absl/strings/string_view.h"

namespace bidopen::bench {

// Prints `program: why` and `usage` on stderr and exits 2.
[[noreturn]] void UsageExit(absl::string_view usage, absl::string_view why);

// The environment variable's value, or "".
std::string Env(const char* name);

using FlagFn = std::function<void(absl::string_view name, absl::string_view value)>;

// Calls `set` for each flag in argv[1..]; --help and anything that is not a
// flag end in UsageExit.
void ParseFlags(int argc, char** argv, absl::string_view usage,
                const std::set<std::string>& booleans, const FlagFn& set);

}  // namespace bidopen::bench

#endif  // BIDOPEN_BENCH_FLAGS_H_
