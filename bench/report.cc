#include "bench/report.h"

#include <errno.h>  // program_invocation_short_name

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

namespace bidopen::bench {

void Report(absl::string_view name, double value, absl::string_view unit) {
  std::printf("%s %.6g %s\n", std::string(name).c_str(), value, std::string(unit).c_str());
  std::fflush(stdout);
}

void Note(absl::string_view text) {
  std::printf("# %s\n", std::string(text).c_str());
  std::fflush(stdout);
}

void Fail(absl::string_view what, const absl::Status& status) {
  std::cerr << program_invocation_short_name << ": " << what << ": " << status << "\n";
  std::exit(1);
}

}  // namespace bidopen::bench
