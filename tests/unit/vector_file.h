// A known-answer vector file as the vector tests write it: one "key value"
// per line (the value runs to the end of the line).
#ifndef BIDOPEN_TESTS_UNIT_VECTOR_FILE_H_
#define BIDOPEN_TESTS_UNIT_VECTOR_FILE_H_

#include <fstream>
#include <map>
#include <string>
#include <utility>

#include "absl/strings/str_split.h"

namespace bidopen::testing {

// Empty if the file cannot be read.
inline std::map<std::string, std::string> ReadVectorFile(const std::string& path) {
  std::ifstream in(path);
  std::map<std::string, std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    std::pair<std::string, std::string> kv = absl::StrSplit(line, absl::MaxSplits(' ', 1));
    out[kv.first] = kv.second;
  }
  return out;
}

}  // namespace bidopen::testing

#endif  // BIDOPEN_TESTS_UNIT_VECTOR_FILE_H_
