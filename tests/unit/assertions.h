// Assertions for unit tests: on what a user sees of a refusal (the status code,
// the field the message names, the values it quotes) and on protos.
#ifndef BIDOPEN_TESTS_UNIT_ASSERTIONS_H_
#define BIDOPEN_TESTS_UNIT_ASSERTIONS_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <initializer_list>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/message_differencer.h"

namespace bidopen::testing {

// A scratch file `name` in this test process's own directory: ctest runs
// tests in parallel processes, so fixed names in the shared temp directory
// would race. The file keeps its name (documents are named after files).
// The directory is removed when the process exits.
inline std::string TempPath(absl::string_view name) {
  // Never destroyed, so the exit handler can still read it.
  static const std::string* const dir = [] {
    auto* d = new std::string(absl::StrCat(::testing::TempDir(), "bidopen_", getpid()));
    std::filesystem::create_directories(*d);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(*dir, ec);
    });
    return d;
  }();
  return absl::StrCat(*dir, "/", name);
}

// `st` has `code` and its message contains every one of `parts`.
inline ::testing::AssertionResult StatusIs(const absl::Status& st, absl::StatusCode code,
                                           std::initializer_list<absl::string_view> parts) {
  if (st.code() != code)
    return ::testing::AssertionFailure()
           << "expected " << absl::StatusCodeToString(code) << ", got " << st;
  for (absl::string_view part : parts)
    if (!absl::StrContains(st.message(), part))
      return ::testing::AssertionFailure() << "message does not contain \"" << part << "\": " << st;
  return ::testing::AssertionSuccess();
}

// INVALID_ARGUMENT whose message starts with "<field>: " and contains every one
// of `parts` (typically the offending value and the limit).
inline ::testing::AssertionResult InvalidField(const absl::Status& st, absl::string_view field,
                                               std::initializer_list<absl::string_view> parts) {
  ::testing::AssertionResult r = StatusIs(st, absl::StatusCode::kInvalidArgument, parts);
  if (!r) return r;
  if (!absl::StartsWith(st.message(), absl::StrCat(field, ": ")))
    return ::testing::AssertionFailure()
           << "message does not start with field \"" << field << ": \": " << st;
  return ::testing::AssertionSuccess();
}

template <typename T>
::testing::AssertionResult StatusIs(const absl::StatusOr<T>& r, absl::StatusCode code,
                                    std::initializer_list<absl::string_view> parts) {
  if (r.ok()) return ::testing::AssertionFailure() << "expected an error, got OK";
  return StatusIs(r.status(), code, parts);
}

template <typename T>
::testing::AssertionResult InvalidField(const absl::StatusOr<T>& r, absl::string_view field,
                                        std::initializer_list<absl::string_view> parts) {
  if (r.ok()) return ::testing::AssertionFailure() << "expected an error, got OK";
  return InvalidField(r.status(), field, parts);
}

// The two messages are equal field by field; on failure shows both.
inline ::testing::AssertionResult ProtoEquals(const google::protobuf::Message& actual,
                                              const google::protobuf::Message& expected) {
  if (google::protobuf::util::MessageDifferencer::Equals(actual, expected))
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "actual:\n"
                                       << actual.DebugString() << "expected:\n"
                                       << expected.DebugString();
}

}  // namespace bidopen::testing

#endif  // BIDOPEN_TESTS_UNIT_ASSERTIONS_H_
