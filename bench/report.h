// What every benchmark prints: `name value unit` result lines, `#` notes, and
// how it stops on an error.
#ifndef BIDOPEN_BENCH_REPORT_H_
#define BIDOPEN_BENCH_REPORT_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bidopen::bench {

// One result line: `name value unit`.
void Report(absl::string_view name, double value, absl::string_view unit);
// A context line, prefixed with '#'.
void Note(absl::string_view text);
// Aborts the benchmark with `program: what: status`.
[[noreturn]] void Fail(absl::string_view what, const absl::Status& status);

template <typename T>
T Must(absl::StatusOr<T> v, absl::string_view what) {
  if (!v.ok()) Fail(what, v.status());
  return *std::move(v);
}
inline void Must(const absl::Status& st, absl::string_view what) {
  if (!st.ok()) Fail(what, st);
}

}  // namespace bidopen::bench

#endif  // BIDOPEN_BENCH_REPORT_H_
